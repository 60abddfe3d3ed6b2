//! Contact-hour rules: when an agent may visit, call or message a person, evaluated in the
//! time zone of the person's address.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use serde::{Deserialize, Serialize};

/// A time of day at minute precision, from 00:00 to 24:00, written "HH:MM".
///
/// 24:00 is allowed only so a window can end at midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime {
    minutes: u16,
}

impl ClockTime {
    pub const MIDNIGHT_END: ClockTime = ClockTime { minutes: 24 * 60 };

    /// Creates a time from hours and minutes, or `None` past 24:00.
    pub const fn new(hour: u16, minute: u16) -> Option<ClockTime> {
        if minute >= 60 || hour > 24 || (hour == 24 && minute > 0) {
            return None;
        }
        Some(ClockTime {
            minutes: hour * 60 + minute,
        })
    }

    /// Returns the number of minutes since midnight.
    pub fn minutes(self) -> u16 {
        self.minutes
    }

    fn seconds(self) -> u32 {
        u32::from(self.minutes) * 60
    }

    fn to_civil(self) -> Option<Time> {
        let hour = i8::try_from(self.minutes / 60).ok()?;
        let minute = i8::try_from(self.minutes % 60).ok()?;
        Time::new(hour, minute, 0, 0).ok()
    }
}

impl TryFrom<String> for ClockTime {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let invalid = || format!("invalid time of day {value:?}: write HH:MM from 00:00 to 24:00");
        let (hour, minute) = value.split_once(':').ok_or_else(invalid)?;
        if hour.len() != 2 || minute.len() != 2 {
            return Err(invalid());
        }
        let hour: u16 = hour.parse().map_err(|_| invalid())?;
        let minute: u16 = minute.parse().map_err(|_| invalid())?;
        ClockTime::new(hour, minute).ok_or_else(invalid)
    }
}

impl From<ClockTime> for String {
    fn from(time: ClockTime) -> Self {
        format!("{:02}:{:02}", time.minutes / 60, time.minutes % 60)
    }
}

/// Hours of a day when contact is allowed: from `start` inclusive to `end` exclusive, in
/// local time. A window with `end <= start` allows nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub start: ClockTime,
    pub end: ClockTime,
}

impl Window {
    fn contains(self, second_of_day: u32) -> bool {
        self.start.seconds() <= second_of_day && second_of_day < self.end.seconds()
    }

    fn is_empty(self) -> bool {
        self.end <= self.start
    }
}

/// A day of the week, as written in rule files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl From<jiff::civil::Weekday> for Weekday {
    fn from(day: jiff::civil::Weekday) -> Self {
        use jiff::civil::Weekday as W;
        match day {
            W::Monday => Weekday::Monday,
            W::Tuesday => Weekday::Tuesday,
            W::Wednesday => Weekday::Wednesday,
            W::Thursday => Weekday::Thursday,
            W::Friday => Weekday::Friday,
            W::Saturday => Weekday::Saturday,
            W::Sunday => Weekday::Sunday,
        }
    }
}

/// A window that applies on some days of the week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekdayWindow {
    pub days: Vec<Weekday>,
    #[serde(flatten)]
    pub window: Window,
}

/// The contact-hour rule of one jurisdiction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRule {
    /// Jurisdiction the rule implements, for example "MX" or "CO".
    pub jurisdiction: String,
    /// Window for every day of the week while `weekdays` is empty.
    pub window: Window,
    /// Per-weekday windows. When not empty, they replace `window`, and a day that no entry
    /// lists allows no contact. The first entry that lists a day wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weekdays: Vec<WeekdayWindow>,
    /// Local dates on which no contact is allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Date>,
}

impl ContactRule {
    /// Mexico's preset: every day from 07:00 to 22:00 in the debtor's time zone, as
    /// CONDUSEF's provisions for collection agencies require. No weekday rules or holidays.
    pub fn mexico() -> ContactRule {
        ContactRule {
            jurisdiction: "MX".to_owned(),
            window: Window {
                start: ClockTime { minutes: 7 * 60 },
                end: ClockTime { minutes: 22 * 60 },
            },
            weekdays: Vec::new(),
            holidays: Vec::new(),
        }
    }

    /// Returns the window that applies on `date`, or the reason the day allows no contact.
    fn window_on(&self, date: Date) -> Result<Window, RefusalReason> {
        if self.holidays.contains(&date) {
            return Err(RefusalReason::Holiday);
        }
        if self.weekdays.is_empty() {
            return Ok(self.window);
        }
        let day = Weekday::from(date.weekday());
        self.weekdays
            .iter()
            .find(|entry| entry.days.contains(&day))
            .map(|entry| entry.window)
            .ok_or(RefusalReason::DayNotAllowed)
    }
}

/// Reason a contact attempt falls outside the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// Earlier than the day's window.
    BeforeWindow,
    /// At or after the end of the day's window.
    AfterWindow,
    /// The rule allows no contact on this day of the week.
    DayNotAllowed,
    /// The local date is one of the rule's holidays.
    Holiday,
}

/// The outcome of checking one instant against a contact rule.
#[derive(Clone, Debug, PartialEq)]
pub enum ContactCheck {
    Allowed {
        local_time: ZonedDateTime,
    },
    Refused {
        reason: RefusalReason,
        local_time: ZonedDateTime,
        /// The next instant when contact becomes allowed, or `None` when the rule allows
        /// no contact in the following 400 days.
        next_allowed_start: Option<ZonedDateTime>,
    },
}

impl ContactCheck {
    pub fn is_allowed(&self) -> bool {
        matches!(self, ContactCheck::Allowed { .. })
    }
}

/// How many days ahead [`check`] looks for the next allowed start: more than a year, so a
/// rule with a yearly holiday list still finds the next working day.
const LOOKAHEAD_DAYS: i32 = 400;

/// Checks whether contact at `instant` is allowed by `rule` in time zone `tz`.
pub fn check(rule: &ContactRule, tz: &TimeZone, instant: Timestamp) -> ContactCheck {
    let local_time = instant.to_zoned_datetime(tz.clone());
    let date = local_time.date();
    let time = local_time.time();
    let second_of_day = u32::try_from(
        i32::from(time.hour()) * 3600 + i32::from(time.minute()) * 60 + i32::from(time.second()),
    )
    .unwrap_or(0);

    let reason = match rule.window_on(date) {
        Ok(window) if window.contains(second_of_day) => {
            return ContactCheck::Allowed { local_time };
        }
        Ok(window) if !window.is_empty() && second_of_day < window.start.seconds() => {
            RefusalReason::BeforeWindow
        }
        Ok(_) => RefusalReason::AfterWindow,
        Err(reason) => reason,
    };
    let next_allowed_start = next_start(rule, tz, &local_time);
    ContactCheck::Refused {
        reason,
        local_time,
        next_allowed_start,
    }
}

/// Finds the first window start after `now`, today or on a later day.
fn next_start(rule: &ContactRule, tz: &TimeZone, now: &ZonedDateTime) -> Option<ZonedDateTime> {
    let mut date = now.date();
    for _ in 0..=LOOKAHEAD_DAYS {
        if let Ok(window) = rule.window_on(date)
            && !window.is_empty()
            && let Some(start) = window.start.to_civil()
        {
            // A start inside a daylight-saving gap moves forward, as jiff's default
            // ("compatible") disambiguation does.
            if let Ok(zoned) = DateTime::from_parts(date, start).to_zoned_datetime(tz.clone())
                && zoned.timestamp() > now.timestamp()
            {
                return Some(zoned);
            }
        }
        date = date.tomorrow().ok()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cdmx() -> TimeZone {
        super::super::timezone::bundled_zone("America/Mexico_City").expect("bundled zone")
    }

    fn at(text: &str) -> Timestamp {
        text.parse().expect("valid RFC 3339 instant")
    }

    #[test]
    fn mexico_window_edges() {
        let rule = ContactRule::mexico();
        let tz = cdmx();
        assert!(!check(&rule, &tz, at("2026-07-15T12:59:59Z")).is_allowed());
        assert!(check(&rule, &tz, at("2026-07-15T13:00:00Z")).is_allowed());
        assert!(check(&rule, &tz, at("2026-07-16T03:59:59Z")).is_allowed());
        assert!(!check(&rule, &tz, at("2026-07-16T04:00:00Z")).is_allowed());
    }

    #[test]
    fn refusal_gives_next_start() {
        let check = check(&ContactRule::mexico(), &cdmx(), at("2026-07-16T04:30:00Z"));
        let ContactCheck::Refused {
            reason,
            next_allowed_start,
            ..
        } = check
        else {
            panic!("22:30 local must be refused");
        };
        assert_eq!(reason, RefusalReason::AfterWindow);
        let next = next_allowed_start.expect("a next start");
        assert_eq!(next.timestamp(), at("2026-07-16T13:00:00Z"));
    }

    #[test]
    fn weekday_rule_and_holiday() {
        let rule = ContactRule {
            jurisdiction: "CO".to_owned(),
            window: Window {
                start: ClockTime::MIDNIGHT_END,
                end: ClockTime::MIDNIGHT_END,
            },
            weekdays: vec![WeekdayWindow {
                days: vec![Weekday::Saturday],
                window: Window {
                    start: ClockTime::new(8, 0).expect("valid"),
                    end: ClockTime::new(15, 0).expect("valid"),
                },
            }],
            holidays: vec![jiff::civil::date(2026, 7, 18)],
        };
        let tz = cdmx();
        // Friday 2026-07-17 10:00 local: no rule lists Friday.
        let friday = check(&rule, &tz, at("2026-07-17T16:00:00Z"));
        let ContactCheck::Refused {
            reason,
            next_allowed_start,
            ..
        } = friday
        else {
            panic!("Friday must be refused");
        };
        assert_eq!(reason, RefusalReason::DayNotAllowed);
        // Saturday the 18th is a holiday, so the next start is Saturday the 25th.
        let next = next_allowed_start.expect("a next start");
        assert_eq!(next.timestamp(), at("2026-07-25T14:00:00Z"));
    }

    #[test]
    fn clock_time_text() {
        assert_eq!(
            ClockTime::try_from("07:00".to_owned()),
            Ok(ClockTime { minutes: 420 })
        );
        assert_eq!(
            ClockTime::try_from("24:00".to_owned()),
            Ok(ClockTime::MIDNIGHT_END)
        );
        for bad in ["7:00", "24:01", "12:60", "ab:cd", "0700", ""] {
            assert!(ClockTime::try_from(bad.to_owned()).is_err(), "{bad}");
        }
        assert_eq!(String::from(ClockTime { minutes: 1319 }), "21:59");
    }
}
