//! Reading when a token expires: a lifetime in seconds, or an absolute instant.

use std::time::{Duration, SystemTime};

use super::field::Field;

/// Accepts 3600, 3600.0 and "3600"; rejects negative, non-finite and absurd lifetimes.
pub(crate) fn lifetime(value: &Field<'_>) -> Option<Duration> {
    let seconds = match value {
        Field::Number(number) => number.as_f64()?,
        Field::Text(text) => text.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds).ok()
}

/// An absolute expiry: seconds since the epoch, or milliseconds when the number
/// is too large to be seconds (past the year 5000), as a number or a numeric
/// string; or an RFC 3339 date-time such as `2026-12-22T12:00:00Z`.
pub(crate) fn instant(value: &Field<'_>) -> Option<SystemTime> {
    const MILLISECONDS_FROM: f64 = 1e11;
    let number = match value {
        Field::Number(number) => number.as_f64()?,
        Field::Text(text) => match text.trim().parse::<f64>() {
            Ok(number) => number,
            Err(_) => return date_time(text.trim()),
        },
        _ => return None,
    };
    let seconds = if number >= MILLISECONDS_FROM {
        number / 1000.0
    } else {
        number
    };
    SystemTime::UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(seconds).ok()?)
}

/// An RFC 3339 date-time with its offset (`Z` or `+hh:mm`), also in the ISO 8601
/// spellings providers use: a space or a lowercase `t` before the time, no
/// seconds, a comma before the fraction, an offset without its colon or minutes.
/// A time without an offset names no instant and is refused, as is a time before 1970.
fn date_time(text: &str) -> Option<SystemTime> {
    let mut cursor = Cursor(text.as_bytes());
    let year = cursor.number(4, 0..=9999)?;
    cursor.expect(b"-")?;
    let month = cursor.number(2, 1..=12)?;
    cursor.expect(b"-")?;
    let day = cursor.number(2, 1..=days_in_month(year, month))?;
    cursor.expect(b"Tt ")?;
    let hour = cursor.number(2, 0..=23)?;
    cursor.expect(b":")?;
    let minute = cursor.number(2, 0..=59)?;
    // 60 is a leap second, which lands on the next minute's first second.
    let second = match cursor.expect(b":") {
        Some(_) => cursor.number(2, 0..=60)?,
        None => 0,
    };
    let nanos = match cursor.expect(b".,") {
        Some(_) => cursor.fraction()?,
        None => 0,
    };
    let offset = cursor.offset()?;
    if !cursor.0.is_empty() {
        return None;
    }
    let days = days_since_epoch(year, month, day);
    let seconds = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset;
    let seconds = u64::try_from(seconds).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::new(seconds, nanos))
}

/// The unread rest of a date-time.
struct Cursor<'t>(&'t [u8]);

impl Cursor<'_> {
    /// Consumes one of `choices`, returning it.
    fn expect(&mut self, choices: &[u8]) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        choices.contains(&first).then(|| {
            self.0 = rest;
            first
        })
    }

    /// Consumes exactly `width` digits whose value lies in `range`.
    fn number(&mut self, width: usize, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
        let digits = self.0.get(..width)?;
        let mut value = 0;
        for &digit in digits {
            value = value * 10 + u32::from(digit.checked_sub(b'0').filter(|d| *d <= 9)?);
        }
        self.0 = self.0.get(width..)?;
        range.contains(&value).then_some(value)
    }

    /// Consumes the digits of a fraction of a second, as nanoseconds; digits past the ninth are dropped.
    fn fraction(&mut self) -> Option<u32> {
        let count = self
            .0
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        if count == 0 {
            return None;
        }
        let mut nanos = 0;
        for position in 0..9 {
            let digit = self.0.get(position).filter(|_| position < count);
            nanos = nanos * 10 + digit.map_or(0, |digit| u32::from(digit - b'0'));
        }
        self.0 = self.0.get(count..)?;
        Some(nanos)
    }

    /// Consumes `Z`, `+hh:mm`, `+hhmm` or `+hh`, returning seconds east of UTC.
    fn offset(&mut self) -> Option<i64> {
        let sign = match self.expect(b"Zz+-")? {
            b'+' => 1,
            b'-' => -1,
            _ => return Some(0),
        };
        let hours = self.number(2, 0..=23)?;
        let minutes = if self.0.is_empty() {
            0
        } else {
            let _ = self.expect(b":");
            self.number(2, 0..=59)?
        };
        Some(sign * i64::from(hours * 3600 + minutes * 60))
    }
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (negative before it), in eras of 400 years.
fn days_since_epoch(year: u32, month: u32, day: u32) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn text(text: &str) -> Field<'_> {
        Field::Text(Cow::Borrowed(text))
    }

    fn at(seconds: u64, nanos: u32) -> Option<SystemTime> {
        Some(SystemTime::UNIX_EPOCH + Duration::new(seconds, nanos))
    }

    #[test]
    fn rfc3339_date_times_with_an_offset() {
        let cases = [
            ("2026-12-22T12:00:00Z", at(1_797_940_800, 0)),
            ("2026-12-22t12:00:00z", at(1_797_940_800, 0)),
            ("2026-12-22T14:00:00+02:00", at(1_797_940_800, 0)),
            ("2026-12-22T07:30:00-04:30", at(1_797_940_800, 0)),
            ("2026-12-22 14:00:00+0200", at(1_797_940_800, 0)),
            ("2026-12-22T14:00+02", at(1_797_940_800, 0)),
            (
                "2014-10-02T15:01:23.045123456Z",
                at(1_412_262_083, 45_123_456),
            ),
            ("2014-10-02T15:01:23,5Z", at(1_412_262_083, 500_000_000)),
            (
                "2014-10-02T15:01:23.0451234569999Z",
                at(1_412_262_083, 45_123_456),
            ),
            ("1970-01-01T00:00:00Z", at(0, 0)),
            ("2000-02-29T00:00:00Z", at(951_782_400, 0)),
            ("2016-12-31T23:59:60Z", at(1_483_228_800, 0)),
            ("9999-12-31T23:59:59Z", at(253_402_300_799, 0)),
        ];
        for (text, expected) in cases {
            assert_eq!(instant(&self::text(text)), expected, "{text}");
        }
    }

    #[test]
    fn anything_else_is_no_instant() {
        for text in [
            "2026-12-22T12:00:00",
            "2026-12-22",
            "2026-13-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-12-22T24:00:00Z",
            "2026-12-22T12:60:00Z",
            "2026-12-22T12:00:61Z",
            "2026-12-22T12:00:00.Z",
            "2026-12-22T12:00:00+2:00",
            "2026-12-22T12:00:00+24:00",
            "2026-12-22T12:00:00Z trailing",
            "2026-12-22X12:00:00Z",
            "+2026-12-22T12:00:00Z",
            "1969-12-31T23:59:59Z",
            "1970-01-01T00:30:00+01:00",
            "２０２６-12-22T12:00:00Z",
            "",
            "soon",
        ] {
            assert_eq!(instant(&self::text(text)), None, "{text}");
        }
    }

    #[test]
    fn epoch_seconds_and_milliseconds_still_read() {
        let expected = at(4_102_444_800, 0);
        for value in [
            Field::Number(4_102_444_800_u64.into()),
            Field::Number(4_102_444_800_000_u64.into()),
            text("4102444800"),
            text(" 4102444800000 "),
        ] {
            assert_eq!(instant(&value), expected, "{value:?}");
        }
        assert_eq!(instant(&Field::Number((-1).into())), None);
        assert_eq!(instant(&Field::Bool(true)), None);
    }

    #[test]
    fn lifetimes() {
        assert_eq!(lifetime(&text(" 3600 ")), Some(Duration::from_secs(3600)));
        assert_eq!(lifetime(&Field::Number((-1).into())), None);
        let huge = serde_json::Number::from_f64(1e300).map(Field::Number);
        assert_eq!(huge.as_ref().and_then(lifetime), None);
    }
}
