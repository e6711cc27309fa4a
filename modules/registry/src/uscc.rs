//! Unified social credit code (统一社会信用代码).
//!
//! Source: GB 32100-2015《法人和其他组织统一社会信用代码编码规则》.
//!
//! A code has 18 characters:
//!
//! | positions | meaning                                    |
//! |-----------|--------------------------------------------|
//! | 1         | registering authority (登记管理部门码)      |
//! | 2         | organisation kind (机构类别码)              |
//! | 3–8       | administrative region code (登记管理机关行政区划码, GB/T 2260) |
//! | 9–17      | organisation code (主体标识码, GB 11714)    |
//! | 18        | check character (校验码)                    |
//!
//! Every character is taken from an alphabet of 31 symbols: the digits `0`–`9`
//! and the capital letters `A`–`Y` without `I`, `O`, `S`, `V` and `Z`
//! (GB 32100-2015; section and table numbers here and below to verify). A
//! character's value is its index in that alphabet. The check character is
//! computed over positions 1–17 with the weights `3^(i-1) mod 31`
//! (GB 32100-2015 §5):
//! 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28;
//! its value is `(31 − Σ valueᵢ × weightᵢ mod 31) mod 31`. (Alphabet, weights
//! and formula checked against third-party transcriptions of the standard; see
//! `docs/legal-sources.md`.)
//!
//! Positions 9–17 carry their own GB 11714 check digit; this module deliberately
//! does **not** verify it (codes issued under GB 32100 are accepted on the
//! strength of their 18th character only). Nor does it check that position 1–2
//! form an authority/kind pair listed in the standard, or that positions 3–8
//! are a current region code: region codes change over time (e.g. 武隆县 500232
//! became 武隆区 500156 in 2016) and old codes stay valid.
//!
//! [`validate`] expects the canonical form (upper case, no surrounding blanks);
//! apply [`normalize`] to user input first.

use std::fmt;

/// The 31-character alphabet of GB 32100-2015 (no I, O, S, V, Z); value = index.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights for positions 1–17 (GB 32100-2015 §5: `3^(i-1) mod 31`).
pub const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Length of a unified social credit code.
pub const LENGTH: usize = 18;

/// Why a string is not a valid unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsccError {
    /// The code does not have exactly 18 characters.
    Length,
    /// The character at `position` (1-based) is outside the 31-character alphabet.
    Character {
        /// 1-based position of the first invalid character.
        position: usize,
    },
    /// The 18th character does not match the one computed from positions 1–17.
    CheckCharacter {
        /// The check character the first 17 characters call for.
        expected: char,
    },
}

impl UsccError {
    /// A message in Chinese, safe to show to users.
    pub fn message_zh(&self) -> String {
        match self {
            UsccError::Length => format!("统一社会信用代码应为{LENGTH}位"),
            UsccError::Character { position } => {
                format!(
                    "统一社会信用代码第{position}位字符无效（不得含有I、O、S、V、Z及小写字母、符号）"
                )
            }
            UsccError::CheckCharacter { expected } => {
                format!("统一社会信用代码校验码错误，应为{expected}")
            }
        }
    }
}

impl fmt::Display for UsccError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_zh())
    }
}

impl std::error::Error for UsccError {}

/// Value of a character in the GB 32100 alphabet, or `None` when it is not in it.
fn value_of(c: char) -> Option<u32> {
    ALPHABET
        .chars()
        .position(|a| a == c)
        .and_then(|i| u32::try_from(i).ok())
}

/// Character of the GB 32100 alphabet with the given value (0–30).
fn char_of(value: u32) -> Option<char> {
    ALPHABET.chars().nth(usize::try_from(value).ok()?)
}

/// Computes the 18th (check) character from the first 17 characters
/// (GB 32100-2015 §5). Returns `None` unless `first17` is exactly 17
/// characters of the alphabet (canonical, upper-case form).
pub fn check_character(first17: &str) -> Option<char> {
    let mut sum: u32 = 0;
    let mut count = 0usize;
    for c in first17.chars() {
        let weight = *WEIGHTS.get(count)?;
        sum += value_of(c)? * weight;
        count += 1;
    }
    if count != WEIGHTS.len() {
        return None;
    }
    char_of((31 - sum % 31) % 31)
}

/// Canonical form of user input: surrounding whitespace removed, letters upper-cased.
pub fn normalize(code: &str) -> String {
    code.trim().to_uppercase()
}

/// Checks a unified social credit code in canonical form (see [`normalize`]):
/// 18 characters of the GB 32100 alphabet whose 18th character is the check
/// character of the first 17. The GB 11714 check digit inside positions 9–17
/// is not verified.
///
/// # Errors
///
/// [`UsccError::Length`] unless there are exactly 18 characters,
/// [`UsccError::Character`] for the first character outside the alphabet
/// (lower case included), [`UsccError::CheckCharacter`] when the 18th
/// character is not the computed one.
pub fn validate(code: &str) -> Result<(), UsccError> {
    if code.chars().count() != LENGTH {
        return Err(UsccError::Length);
    }
    let mut sum: u32 = 0;
    for (i, c) in code.chars().enumerate() {
        let value = value_of(c).ok_or(UsccError::Character { position: i + 1 })?;
        if let Some(weight) = WEIGHTS.get(i) {
            sum += value * weight;
        }
    }
    // Safe: 0..=30 always maps to a character of the alphabet.
    let expected = char_of((31 - sum % 31) % 31).ok_or(UsccError::Length)?;
    match code.chars().last() {
        Some(actual) if actual == expected => Ok(()),
        _ => Err(UsccError::CheckCharacter { expected }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 华为技术有限公司, as published on its business licence and in the
    /// National Enterprise Credit Information Publicity System.
    const HUAWEI: &str = "914403001922038216";
    /// 腾讯科技（深圳）有限公司.
    const TENCENT: &str = "9144030071526726XG";
    /// Further published codes: 阿里巴巴（中国）有限公司, 小米科技有限责任公司,
    /// 比亚迪股份有限公司.
    const OTHERS: [&str; 3] = [
        "91330100799655058B",
        "91110108551385082Q",
        "91440300192317458F",
    ];

    #[test]
    fn alphabet_has_31_characters_without_i_o_s_v_z() {
        assert_eq!(ALPHABET.chars().count(), 31);
        for c in ['I', 'O', 'S', 'V', 'Z'] {
            assert!(!ALPHABET.contains(c));
        }
    }

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1u32;
        for expected in WEIGHTS {
            assert_eq!(w, expected);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn real_published_codes_are_valid() {
        assert_eq!(validate(HUAWEI), Ok(()));
        assert_eq!(validate(TENCENT), Ok(()));
        for code in OTHERS {
            assert_eq!(validate(code), Ok(()), "{code}");
        }
    }

    /// Huawei's code worked out by hand:
    ///
    /// ```text
    /// pos  char value weight product running sum
    ///  1    9     9     1       9        9
    ///  2    1     1     3       3       12
    ///  3    4     4     9      36       48
    ///  4    4     4    27     108      156
    ///  5    0     0    19       0      156
    ///  6    3     3    26      78      234
    ///  7    0     0    16       0      234
    ///  8    0     0    17       0      234
    ///  9    1     1    20      20      254
    /// 10    9     9    29     261      515
    /// 11    2     2    25      50      565
    /// 12    2     2    13      26      591
    /// 13    0     0     8       0      591
    /// 14    3     3    24      72      663
    /// 15    8     8    10      80      743
    /// 16    2     2    30      60      803
    /// 17    1     1    28      28      831
    /// 831 mod 31 = 831 − 26×31 = 25;  (31 − 25) mod 31 = 6  →  '6'
    /// ```
    ///
    /// Tencent's: the same sum is 1782 (X = 29 at position 17, 29×28 = 812);
    /// 1782 mod 31 = 15; 31 − 15 = 16 → 'G' (0–9, A=10 … G=16).
    #[test]
    fn check_character_computed_step_by_step() {
        assert_eq!(check_character("91440300192203821"), Some('6'));
        assert_eq!(check_character("9144030071526726X"), Some('G'));
    }

    #[test]
    fn check_character_rejects_bad_input() {
        assert_eq!(check_character("9144030019220382"), None); // 16 chars
        assert_eq!(check_character("914403001922038216"), None); // 18 chars
        assert_eq!(check_character("9144030019220382I"), None); // I not allowed
        assert_eq!(check_character("9144030071526726x"), None); // lower case
        assert_eq!(check_character(""), None);
    }

    #[test]
    fn wrong_check_character() {
        assert_eq!(
            validate("914403001922038217"),
            Err(UsccError::CheckCharacter { expected: '6' })
        );
        assert_eq!(
            validate("9144030071526726XH"),
            Err(UsccError::CheckCharacter { expected: 'G' })
        );
        // A single changed body character is detected too.
        assert_eq!(
            validate("914403001922038316"),
            Err(UsccError::CheckCharacter { expected: '7' })
        );
    }

    #[test]
    fn bad_characters_report_their_position() {
        assert_eq!(
            validate("91440300I922038216"),
            Err(UsccError::Character { position: 9 })
        );
        assert_eq!(
            validate("O14403001922038216"),
            Err(UsccError::Character { position: 1 })
        );
        assert_eq!(
            validate("9144030071526726XZ"),
            Err(UsccError::Character { position: 18 })
        );
        assert_eq!(
            validate("91440300-922038216"),
            Err(UsccError::Character { position: 9 })
        );
        // Full-width digits are not the ASCII digits of the standard.
        assert_eq!(
            validate("９14403001922038216"),
            Err(UsccError::Character { position: 1 })
        );
    }

    #[test]
    fn wrong_length() {
        assert_eq!(validate(""), Err(UsccError::Length));
        assert_eq!(validate("91440300192203821"), Err(UsccError::Length));
        assert_eq!(validate("9144030019220382166"), Err(UsccError::Length));
        // The old 15-digit business registration number is not accepted.
        assert_eq!(validate("440301103568412"), Err(UsccError::Length));
        // Length counts characters, not bytes.
        assert_eq!(
            validate("统一社会信用代码统一社会信用代码统一"),
            Err(UsccError::Character { position: 1 })
        );
    }

    #[test]
    fn lowercase_is_normalised() {
        let input = "  9144030071526726xg \n";
        assert_eq!(validate(input), Err(UsccError::Length));
        assert_eq!(
            validate(input.trim()),
            Err(UsccError::Character { position: 17 })
        );
        let canonical = normalize(input);
        assert_eq!(canonical, TENCENT);
        assert_eq!(validate(&canonical), Ok(()));
    }

    #[test]
    fn messages_are_chinese() {
        assert_eq!(UsccError::Length.message_zh(), "统一社会信用代码应为18位");
        assert!(
            UsccError::Character { position: 9 }
                .message_zh()
                .contains("第9位字符无效")
        );
        assert_eq!(
            UsccError::CheckCharacter { expected: 'X' }.message_zh(),
            "统一社会信用代码校验码错误，应为X"
        );
        assert_eq!(UsccError::Length.to_string(), "统一社会信用代码应为18位");
    }

    #[test]
    fn every_computed_check_character_validates() {
        let body = "91500156MA5U00000";
        for c in ALPHABET.chars() {
            let first17: String = body.chars().take(16).chain(std::iter::once(c)).collect();
            let Some(check) = check_character(&first17) else {
                panic!("no check character for {first17}");
            };
            assert_eq!(validate(&format!("{first17}{check}")), Ok(()));
        }
    }
}
