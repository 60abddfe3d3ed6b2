//! Recursive-descent parser from tokens to an [`Expr`].

use super::ast::{BinaryOp, Expr, ExprKind, Span};
use super::error::ParseError;
use super::functions::arity;
use super::lexer::{Token, TokenKind, tokenize};

/// Maximum nesting of parentheses, unary minus and function calls.
const MAX_NESTING: usize = 100;
/// Maximum depth of the finished tree, which bounds evaluation recursion.
const MAX_DEPTH: usize = 250;

/// Parses an expression, checking function names and argument counts.
pub fn parse(source: &str) -> Result<Expr, ParseError> {
    let tokens = tokenize(source)?;
    let mut parser = Parser {
        source,
        tokens,
        index: 0,
        nesting: 0,
    };
    let expr = parser.or_expr()?;
    let next = parser.peek();
    if next.kind != TokenKind::End {
        return Err(parser.error_at(next.span, "expected end of expression"));
    }
    check_depth(source, &expr)?;
    Ok(expr)
}

/// Rejects trees deeper than [`MAX_DEPTH`], such as long `1+1+...` chains.
fn check_depth(source: &str, root: &Expr) -> Result<(), ParseError> {
    let mut stack = vec![(root, 1usize)];
    while let Some((expr, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(ParseError::at(
                source,
                expr.span.start,
                expr.span.end,
                "expression nested too deeply",
            ));
        }
        match &expr.kind {
            ExprKind::Negate(inner) => stack.push((inner, depth + 1)),
            ExprKind::Binary { left, right, .. } => {
                stack.push((left, depth + 1));
                stack.push((right, depth + 1));
            }
            ExprKind::Call { args, .. } => stack.extend(args.iter().map(|a| (a, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

struct Parser<'a> {
    source: &'a str,
    tokens: Vec<Token>,
    index: usize,
    nesting: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Token {
        let last = self.tokens.len().saturating_sub(1);
        self.tokens[self.index.min(last)].clone()
    }

    fn advance(&mut self) -> Token {
        let token = self.peek();
        if self.index + 1 < self.tokens.len() {
            self.index += 1;
        }
        token
    }

    fn error_at(&self, span: Span, what: &str) -> ParseError {
        ParseError::at(self.source, span.start, span.end, what)
    }

    fn enter(&mut self, span: Span) -> Result<(), ParseError> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(self.error_at(span, "expression nested too deeply"));
        }
        Ok(())
    }

    fn expect_right_paren(&mut self) -> Result<Span, ParseError> {
        let token = self.peek();
        if token.kind != TokenKind::RightParen {
            return Err(self.error_at(token.span, "expected ')'"));
        }
        self.advance();
        Ok(token.span)
    }

    /// Returns the binary operator at the current token if it belongs to `level`.
    fn operator(&self, level: usize) -> Option<BinaryOp> {
        let op = match self.peek().kind {
            TokenKind::Name(name) => match name.as_str() {
                "or" => BinaryOp::Or,
                "and" => BinaryOp::And,
                "div" => BinaryOp::Div,
                "mod" => BinaryOp::Mod,
                _ => return None,
            },
            TokenKind::Eq => BinaryOp::Eq,
            TokenKind::Ne => BinaryOp::Ne,
            TokenKind::Lt => BinaryOp::Lt,
            TokenKind::Le => BinaryOp::Le,
            TokenKind::Gt => BinaryOp::Gt,
            TokenKind::Ge => BinaryOp::Ge,
            TokenKind::Plus => BinaryOp::Add,
            TokenKind::Minus => BinaryOp::Sub,
            TokenKind::Star => BinaryOp::Mul,
            _ => return None,
        };
        let op_level = match op {
            BinaryOp::Or => 0,
            BinaryOp::And => 1,
            BinaryOp::Eq | BinaryOp::Ne => 2,
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => 3,
            BinaryOp::Add | BinaryOp::Sub => 4,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 5,
        };
        (op_level == level).then_some(op)
    }

    fn or_expr(&mut self) -> Result<Expr, ParseError> {
        self.binary_level(0)
    }

    /// Parses a left-associative chain of operators of one precedence level.
    fn binary_level(&mut self, level: usize) -> Result<Expr, ParseError> {
        let mut left = self.operand(level)?;
        while let Some(op) = self.operator(level) {
            self.advance();
            let right = self.operand(level)?;
            let span = Span {
                start: left.span.start,
                end: right.span.end,
            };
            left = Expr {
                kind: ExprKind::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
                span,
            };
        }
        Ok(left)
    }

    fn operand(&mut self, level: usize) -> Result<Expr, ParseError> {
        if level < 5 {
            self.binary_level(level + 1)
        } else {
            self.unary()
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        let token = self.peek();
        if token.kind != TokenKind::Minus {
            return self.primary();
        }
        self.advance();
        self.enter(token.span)?;
        let operand = self.unary()?;
        self.nesting -= 1;
        let span = Span {
            start: token.span.start,
            end: operand.span.end,
        };
        Ok(Expr {
            kind: ExprKind::Negate(Box::new(operand)),
            span,
        })
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let token = self.advance();
        let kind = match token.kind {
            TokenKind::Number(value) => ExprKind::Number(value),
            TokenKind::String(text) => ExprKind::String(text),
            TokenKind::Reference(name) => ExprKind::Reference(name),
            TokenKind::Dot => ExprKind::Current,
            TokenKind::DotDot => ExprKind::Parent,
            TokenKind::LeftParen => {
                self.enter(token.span)?;
                let mut inner = self.or_expr()?;
                let close = self.expect_right_paren()?;
                self.nesting -= 1;
                inner.span = Span {
                    start: token.span.start,
                    end: close.end,
                };
                return Ok(inner);
            }
            TokenKind::Name(name) => return self.call(name, token.span),
            _ => return Err(self.error_at(token.span, "expected expression")),
        };
        Ok(Expr {
            kind,
            span: token.span,
        })
    }

    fn call(&mut self, name: String, name_span: Span) -> Result<Expr, ParseError> {
        let open = self.peek();
        if open.kind != TokenKind::LeftParen {
            return Err(self.error_at(open.span, "expected '('"));
        }
        let Some((min, max)) = arity(&name) else {
            return Err(self.error_at(name_span, &format!("unknown function '{name}'")));
        };
        self.advance();
        self.enter(open.span)?;
        let mut args = Vec::new();
        if self.peek().kind != TokenKind::RightParen {
            loop {
                args.push(self.or_expr()?);
                let next = self.peek();
                match next.kind {
                    TokenKind::Comma => {
                        self.advance();
                    }
                    TokenKind::RightParen => break,
                    _ => return Err(self.error_at(next.span, "expected ',' or ')'")),
                }
            }
        }
        let close = self.expect_right_paren()?;
        self.nesting -= 1;
        if args.len() < min || max.is_some_and(|max| args.len() > max) {
            let expected = match max {
                Some(max) if max == min => format!("{min}"),
                Some(max) => format!("{min} to {max}"),
                None => format!("at least {min}"),
            };
            let what = format!(
                "wrong number of arguments to '{name}' (expects {expected}, got {})",
                args.len()
            );
            return Err(self.error_at(name_span, &what));
        }
        Ok(Expr {
            kind: ExprKind::Call { name, args },
            span: Span {
                start: name_span.start,
                end: close.end,
            },
        })
    }
}
