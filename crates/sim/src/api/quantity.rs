//! Kubernetes resource quantities ("100m", "1.5", "128Mi", "1e3"), read as exact milli-units.
//!
//! Source: `staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go` (suffixes, and
//! `MilliValue`, which rounds up). We keep i128 milli-units so "1Ei" of memory still fits.

/// The value of a quantity in thousandths of its unit (cpu: millicores; memory: millibytes),
/// rounded up as `MilliValue` does.
pub fn milli_value(s: &str) -> Result<i128, String> {
    if let Some(v) = milli_value_plain(s) {
        return Ok(v);
    }
    let bad = || format!("found {s:?}; expected a quantity such as 100m, 1, 512Mi or 2Gi");
    // Byte scanning: every node's allocatable is read this way, so this runs thousands of times
    // per verdict. Only ASCII digits, one dot, a sign and an ASCII suffix are valid.
    let (sign, body) = match s.as_bytes().first() {
        None => return Err(bad()),
        Some(b'-') => (-1i128, &s[1..]),
        Some(b'+') => (1, &s[1..]),
        Some(_) => (1, s),
    };
    let bytes = body.as_bytes();
    let num_end = bytes
        .iter()
        .position(|c| !(c.is_ascii_digit() || *c == b'.'))
        .unwrap_or(bytes.len());
    let (num, suffix) = body.split_at(num_end);
    let (int_part, frac_part) = num.split_once('.').unwrap_or((num, ""));
    if num.is_empty() || num == "." || frac_part.contains('.') {
        return Err(bad());
    }
    // value = digits / 10^frac_len, scaled by the suffix: 2^bin or 10^dec.
    // The digits of both parts read as one integer, without building a string.
    let leading_zeros = int_part.bytes().take_while(|c| *c == b'0').count();
    let significant = int_part.len() - leading_zeros + frac_part.len();
    if significant > 30 {
        return Err(format!("found {s:?}; expected a quantity of at most 30 digits"));
    }
    let mut mantissa: i128 = 0;
    for b in int_part.bytes().chain(frac_part.bytes()) {
        mantissa = mantissa * 10 + i128::from(b - b'0');
    }
    let frac_len = frac_part.len() as i32;
    let (bin_pow, dec_pow): (u32, i32) = match suffix {
        "" => (0, 0),
        "n" => (0, -9),
        "u" => (0, -6),
        "m" => (0, -3),
        "k" => (0, 3),
        "M" => (0, 6),
        "G" => (0, 9),
        "T" => (0, 12),
        "P" => (0, 15),
        "E" => (0, 18),
        "Ki" => (10, 0),
        "Mi" => (20, 0),
        "Gi" => (30, 0),
        "Ti" => (40, 0),
        "Pi" => (50, 0),
        "Ei" => (60, 0),
        e if e.starts_with('e') || e.starts_with('E') => {
            let exp: i32 = e[1..].parse().map_err(|_| bad())?;
            if !(-30..=30).contains(&exp) {
                return Err(bad());
            }
            (0, exp)
        }
        _ => return Err(bad()),
    };
    // milli: multiply by 1000 = 10^3.
    let pow10 = dec_pow + 3 - frac_len;
    let scaled = mantissa
        .checked_mul(1i128 << bin_pow)
        .ok_or_else(|| format!("found {s:?}; expected a smaller quantity"))?;
    let value = if pow10 >= 0 {
        scaled
            .checked_mul(10i128.pow(pow10 as u32))
            .ok_or_else(|| format!("found {s:?}; expected a smaller quantity"))?
    } else {
        let d = 10i128.pow((-pow10).min(38) as u32);
        (scaled + d - 1) / d
    };
    Ok(sign * value)
}

/// Digits and one of the common suffixes ("4", "58", "15928492Ki", "250m"), as nodes report their
/// allocatable: the verdict reads three of these per node. None for every other form, which the
/// full parser above reads (and the tests hold the two to the same values).
fn milli_value_plain(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    // Digits and value in one pass. At most 18 digits: they fit a u64, which is cheaper to build
    // than an i128, and times the largest scale below stay far inside i128.
    let mut n: u64 = 0;
    let mut digits = 0;
    for c in b.iter().take_while(|c| c.is_ascii_digit()) {
        if digits == 18 {
            return None;
        }
        n = n * 10 + u64::from(c - b'0');
        digits += 1;
    }
    if digits == 0 {
        return None;
    }
    let scale: i128 = match &b[digits..] {
        b"" => 1000,
        b"m" => 1,
        b"k" => 1_000_000,
        b"M" => 1_000_000_000,
        b"G" => 1_000_000_000_000,
        b"Ki" => 1000 << 10,
        b"Mi" => 1000 << 20,
        b"Gi" => 1000 << 30,
        b"Ti" => 1000 << 40,
        _ => return None,
    };
    Some(i128::from(n) * scale)
}

/// A short human form for messages: millicores as "250m"/"2", bytes as "512Mi".
pub fn format_cpu(milli: i128) -> String {
    if milli % 1000 == 0 {
        format!("{}", milli / 1000)
    } else {
        format!("{milli}m")
    }
}

pub fn format_bytes(milli: i128) -> String {
    let bytes = milli / 1000;
    for (suffix, shift) in [("Gi", 30), ("Mi", 20), ("Ki", 10)] {
        if bytes != 0 && bytes % (1i128 << shift) == 0 {
            return format!("{}{suffix}", bytes >> shift);
        }
    }
    format!("{bytes}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quantities_as_milli_units() {
        let cases: &[(&str, &str, i128)] = &[
            ("millicores", "250m", 250),
            ("whole cores", "2", 2000),
            ("fractional cores", "0.5", 500),
            ("fraction rounds up like MilliValue", "0.0001", 1),
            ("binary suffix", "128Mi", 128 * 1024 * 1024 * 1000),
            ("decimal suffix", "1G", 1_000_000_000_000),
            ("kilo", "2k", 2_000_000),
            ("exponent", "1e3", 1_000_000),
            ("zero", "0", 0),
            ("leading plus", "+1", 1000),
            ("pods count", "110", 110_000),
        ];
        for (name, input, want) in cases {
            assert_eq!(milli_value(input), Ok(*want), "{name}");
        }
        // The plain-digits shortcut gives what the full parser gives.
        for input in [
            "0",
            "7",
            "58",
            "110",
            "250m",
            "2k",
            "3M",
            "4G",
            "15928492Ki",
            "512Mi",
            "2Gi",
            "1Ti",
            "007",
            "999999999999999999Ti",
        ] {
            let plain = milli_value_plain(input).unwrap_or_else(|| panic!("{input}: not plain"));
            let mut full = input.to_string();
            full.insert(0, '+'); // the sign sends it through the full parser
            assert_eq!(Ok(plain), milli_value(&full), "{input}");
        }
        for input in ["1.5", "1e3", "-1", "+1", "", "1X", "1234567890123456789"] {
            assert_eq!(milli_value_plain(input), None, "{input}");
        }
    }

    #[test]
    fn rejects_what_the_api_rejects() {
        for (name, input) in [
            ("empty", ""),
            ("unit word", "1 core"),
            ("unknown suffix", "5X"),
            ("lowercase binary", "1gi"),
            ("two dots", "1.2.3"),
            ("space inside", " 1"),
            ("just a dot", "."),
        ] {
            let err = milli_value(input).unwrap_err();
            assert!(err.contains("expected a quantity"), "{name}: {err}");
        }
    }

    #[test]
    fn formats_for_messages() {
        assert_eq!(format_cpu(1500), "1500m");
        assert_eq!(format_cpu(2000), "2");
        assert_eq!(format_bytes(milli_value("512Mi").unwrap()), "512Mi");
        assert_eq!(format_bytes(milli_value("1000").unwrap()), "1000");
    }
}
