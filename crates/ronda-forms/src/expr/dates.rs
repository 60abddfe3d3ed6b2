//! Dates and times in the expression language.
//!
//! A date or date-time converted to a number is the count of days since
//! 1970-01-01T00:00 in the clock's UTC offset, with the time of day as a
//! fraction, so `"2026-08-07"` is 20672 whatever the offset. Date-times that
//! carry another offset are first moved to the clock's offset. Values run
//! from year 1 to year 9999 with millisecond precision.

use jiff::civil::Date;

const MS_PER_DAY: i64 = 86_400_000;
/// Days from 1970-01-01 to 0001-01-01.
const MIN_DAYS: i64 = -719_162;
/// Days from 1970-01-01 to 9999-12-31.
const MAX_DAYS: i64 = 2_932_896;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The instant `today()` and `now()` report, with the UTC offset that dates
/// are read and written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    utc_ms: i64,
    offset_minutes: i32,
}

impl Clock {
    /// Parses an RFC 3339 date-time with an offset, such as
    /// `2026-08-07T10:30:00-06:00`. Returns `None` when the offset is missing.
    pub fn parse(text: &str) -> Option<Clock> {
        let parsed = parse_date_time(text)?;
        let offset_minutes = parsed.offset_minutes?;
        Some(Clock {
            utc_ms: parsed.wall_ms - i64::from(offset_minutes) * 60_000,
            offset_minutes,
        })
    }

    /// Takes the instant and the offset in force at that instant.
    pub fn from_zoned(zoned: &jiff::ZonedDateTime) -> Clock {
        Clock {
            utc_ms: zoned.timestamp().as_millisecond(),
            offset_minutes: zoned.offset().seconds() / 60,
        }
    }

    pub fn offset_minutes(&self) -> i32 {
        self.offset_minutes
    }

    pub(crate) fn local_ms(&self) -> i64 {
        self.utc_ms + i64::from(self.offset_minutes) * 60_000
    }
}

/// A date or date-time read from text, as milliseconds of wall time since
/// 1970-01-01T00:00 in its own offset.
struct ParsedDateTime {
    wall_ms: i64,
    offset_minutes: Option<i32>,
}

fn digits(text: &str, start: usize, count: usize) -> Option<i64> {
    let part = text.get(start..start + count)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn days_from_date(date: Date) -> i64 {
    let epoch = jiff::civil::date(1970, 1, 1);
    i64::from(epoch.until(date).map_or(0, |span| span.get_days()))
}

fn date_from_days(days: i64) -> Option<Date> {
    if !(MIN_DAYS..=MAX_DAYS).contains(&days) {
        return None;
    }
    let epoch = jiff::civil::date(1970, 1, 1);
    epoch.checked_add(jiff::Span::new().days(days)).ok()
}

/// Parses `YYYY-MM-DD` optionally followed by `THH:MM[:SS[.fff]]` and `Z` or
/// `±HH:MM`. Fraction digits past milliseconds are ignored.
fn parse_date_time(text: &str) -> Option<ParsedDateTime> {
    let text = text.trim_matches(super::lexer::is_xml_space);
    let bytes = text.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = i16::try_from(digits(text, 0, 4)?).ok()?;
    let month = i8::try_from(digits(text, 5, 2)?).ok()?;
    let day = i8::try_from(digits(text, 8, 2)?).ok()?;
    if year < 1 {
        return None;
    }
    let date = Date::new(year, month, day).ok()?;
    let mut wall_ms = days_from_date(date) * MS_PER_DAY;
    if bytes.len() == 10 {
        return Some(ParsedDateTime {
            wall_ms,
            offset_minutes: None,
        });
    }

    if bytes[10] != b'T' || bytes.get(13) != Some(&b':') {
        return None;
    }
    let hour = digits(text, 11, 2)?;
    let minute = digits(text, 14, 2)?;
    let mut pos = 16;
    let mut second = 0;
    let mut millis = 0;
    if bytes.get(pos) == Some(&b':') {
        second = digits(text, pos + 1, 2)?;
        pos += 3;
        if bytes.get(pos) == Some(&b'.') {
            let fraction_start = pos + 1;
            pos = fraction_start;
            while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            }
            if pos == fraction_start {
                return None;
            }
            let fraction = &text[fraction_start..pos.min(fraction_start + 3)];
            millis = format!("{fraction:0<3}").parse().ok()?;
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    wall_ms += ((hour * 60 + minute) * 60 + second) * 1000 + millis;

    let offset_minutes = match &text[pos..] {
        "" => None,
        "Z" => Some(0),
        rest => Some(parse_offset(rest)?),
    };
    Some(ParsedDateTime {
        wall_ms,
        offset_minutes,
    })
}

fn parse_offset(text: &str) -> Option<i32> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    if text.len() != 6 || text.as_bytes()[3] != b':' {
        return None;
    }
    let hours = digits(text, 1, 2)?;
    let minutes = digits(text, 4, 2)?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    i32::try_from(sign * (hours * 60 + minutes)).ok()
}

/// Reads a date or date-time as milliseconds of wall time in the clock's offset.
pub(crate) fn text_to_local_ms(text: &str, clock_offset: i32) -> Option<i64> {
    let parsed = parse_date_time(text)?;
    let shift = parsed
        .offset_minutes
        .map_or(0, |offset| i64::from(clock_offset - offset) * 60_000);
    let local = parsed.wall_ms + shift;
    date_from_days(local.div_euclid(MS_PER_DAY)).map(|_| local)
}

/// Reads a date or date-time as days since 1970-01-01 in the clock's offset.
pub(crate) fn text_to_days(text: &str, clock_offset: i32) -> Option<f64> {
    text_to_local_ms(text, clock_offset).map(|ms| ms as f64 / MS_PER_DAY as f64)
}

/// Converts days since 1970-01-01 to milliseconds, rounded to the nearest one.
pub(crate) fn days_to_local_ms(days: f64) -> Option<i64> {
    if !(days >= MIN_DAYS as f64 && days < (MAX_DAYS + 1) as f64) {
        return None;
    }
    Some((days * MS_PER_DAY as f64 + 0.5).floor() as i64)
}

/// Formats the date part as `YYYY-MM-DD`.
pub(crate) fn format_date_only(local_ms: i64) -> String {
    format_local(local_ms, "%Y-%m-%d")
}

/// Formats as `YYYY-MM-DDTHH:MM:SS.mmm±HH:MM`, the form `now()` returns.
pub(crate) fn format_date_time(local_ms: i64, offset_minutes: i32) -> String {
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let offset = offset_minutes.unsigned_abs();
    format!(
        "{}{sign}{:02}:{:02}",
        format_local(local_ms, "%Y-%m-%dT%H:%M:%S.%3"),
        offset / 60,
        offset % 60
    )
}

/// Applies a `format-date` pattern: `%Y %y %m %n %b %d %e %a %H %h %M %S %3 %%`.
/// Any other `%x` is copied as written. Month and weekday names are English.
pub(crate) fn format_local(local_ms: i64, pattern: &str) -> String {
    let days = local_ms.div_euclid(MS_PER_DAY);
    let Some(date) = date_from_days(days) else {
        return String::new();
    };
    let ms_of_day = local_ms.rem_euclid(MS_PER_DAY);
    let hour = ms_of_day / 3_600_000;
    let minute = ms_of_day / 60_000 % 60;
    let second = ms_of_day / 1000 % 60;
    let millis = ms_of_day % 1000;
    let weekday = usize::try_from(date.weekday().to_sunday_zero_offset()).unwrap_or(0);
    let month_index = usize::try_from(date.month() - 1).unwrap_or(0);

    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(code) = chars.next() else {
            out.push('%');
            break;
        };
        let piece = match code {
            'Y' => format!("{:04}", date.year()),
            'y' => format!("{:02}", date.year() % 100),
            'm' => format!("{:02}", date.month()),
            'n' => date.month().to_string(),
            'b' => MONTHS[month_index].to_string(),
            'd' => format!("{:02}", date.day()),
            'e' => date.day().to_string(),
            'a' => WEEKDAYS[weekday].to_string(),
            'H' => format!("{hour:02}"),
            'h' => hour.to_string(),
            'M' => format!("{minute:02}"),
            'S' => format!("{second:02}"),
            '3' => format!("{millis:03}"),
            '%' => "%".to_string(),
            other => format!("%{other}"),
        };
        out.push_str(&piece);
    }
    out
}
