//! Splits an expression into tokens.

use super::ast::Span;
use super::error::ParseError;

#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    Number(f64),
    String(String),
    Reference(String),
    /// A name such as `concat`, `jr:choice-name` or the operator words `and`,
    /// `or`, `div` and `mod`, which the parser distinguishes by position.
    Name(String),
    LeftParen,
    RightParen,
    Comma,
    Dot,
    DotDot,
    Plus,
    Minus,
    Star,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// Returns true for the whitespace XPath skips between tokens.
pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || c.is_ascii_digit()
        || c == '-'
        || c == '.'
        || (!c.is_ascii() && c.is_numeric())
}

/// Splits `source` into tokens, ending with one `End` token.
pub fn tokenize(source: &str) -> Result<Vec<Token>, ParseError> {
    let mut lexer = Lexer { source, pos: 0 };
    let mut tokens = Vec::new();
    loop {
        let token = lexer.next_token()?;
        let done = token.kind == TokenKind::End;
        tokens.push(token);
        if done {
            return Ok(tokens);
        }
    }
}

struct Lexer<'a> {
    source: &'a str,
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.source[self.pos..].chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.source[self.pos..].chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat_while(&mut self, accept: impl Fn(char) -> bool) {
        while self.peek().is_some_and(&accept) {
            self.bump();
        }
    }

    fn error(&self, start: usize, what: &str) -> ParseError {
        ParseError::at(self.source, start, self.pos.max(start), what)
    }

    fn next_token(&mut self) -> Result<Token, ParseError> {
        self.eat_while(is_xml_space);
        let start = self.pos;
        let Some(c) = self.bump() else {
            return Ok(self.token(TokenKind::End, start));
        };
        let kind = match c {
            '(' => TokenKind::LeftParen,
            ')' => TokenKind::RightParen,
            ',' => TokenKind::Comma,
            '+' => TokenKind::Plus,
            '-' => TokenKind::Minus,
            '*' => TokenKind::Star,
            '=' => TokenKind::Eq,
            '<' | '>' | '!' => self.comparison(c, start)?,
            '.' => {
                if self.peek().is_some_and(|d| d.is_ascii_digit()) {
                    self.number(start)
                } else if self.peek() == Some('.') {
                    self.bump();
                    TokenKind::DotDot
                } else {
                    TokenKind::Dot
                }
            }
            '0'..='9' => self.number(start),
            '\'' | '"' => self.string(c, start)?,
            '$' => self.reference(start)?,
            c if is_name_start(c) => self.name(start),
            c => return Err(self.error(start, &format!("unexpected character '{c}'"))),
        };
        Ok(self.token(kind, start))
    }

    fn token(&self, kind: TokenKind, start: usize) -> Token {
        Token {
            kind,
            span: Span {
                start,
                end: self.pos,
            },
        }
    }

    fn comparison(&mut self, first: char, start: usize) -> Result<TokenKind, ParseError> {
        let has_equals = self.peek() == Some('=');
        if has_equals {
            self.bump();
        }
        Ok(match (first, has_equals) {
            ('<', false) => TokenKind::Lt,
            ('<', true) => TokenKind::Le,
            ('>', false) => TokenKind::Gt,
            ('>', true) => TokenKind::Ge,
            ('!', true) => TokenKind::Ne,
            _ => return Err(self.error(start, "unexpected character '!'")),
        })
    }

    /// Lexes `Digits ('.' Digits?)? | '.' Digits`; XPath has no exponent form.
    fn number(&mut self, start: usize) -> TokenKind {
        self.eat_while(|c| c.is_ascii_digit());
        if self.peek() == Some('.') && !self.source[start..self.pos].contains('.') {
            self.bump();
            self.eat_while(|c| c.is_ascii_digit());
        }
        let text = &self.source[start..self.pos];
        TokenKind::Number(text.parse().unwrap_or(f64::NAN))
    }

    fn string(&mut self, quote: char, start: usize) -> Result<TokenKind, ParseError> {
        let body_start = self.pos;
        match self.source[body_start..].find(quote) {
            Some(length) => {
                self.pos = body_start + length + quote.len_utf8();
                Ok(TokenKind::String(
                    self.source[body_start..body_start + length].to_string(),
                ))
            }
            None => {
                self.pos = self.source.len();
                Err(self.error(start, "unterminated string"))
            }
        }
    }

    fn reference(&mut self, start: usize) -> Result<TokenKind, ParseError> {
        if self.peek() != Some('{') {
            return Err(self.error(start, "unexpected character '$'"));
        }
        self.bump();
        let name_start = self.pos;
        if !self.peek().is_some_and(is_name_start) {
            return Err(self.error(name_start, "expected field name"));
        }
        self.eat_while(is_name_char);
        let name = self.source[name_start..self.pos].to_string();
        if self.peek() != Some('}') {
            return Err(self.error(self.pos, "expected '}'"));
        }
        self.bump();
        Ok(TokenKind::Reference(name))
    }

    /// Lexes an NCName with an optional `prefix:` part.
    fn name(&mut self, start: usize) -> TokenKind {
        self.eat_while(is_name_char);
        if self.peek() == Some(':') && self.peek_second().is_some_and(is_name_start) {
            self.bump();
            self.eat_while(is_name_char);
        }
        TokenKind::Name(self.source[start..self.pos].to_string())
    }
}
