//! Masking of personal data (《个人信息保护法》, PIPL): ID-card and phone numbers are shown masked
//! unless the caller holds the permission to see them in full.

/// `13912345678` → `139****5678`: keeps the carrier prefix and the last four digits.
pub fn mask_phone(phone: &str) -> String {
    mask(phone, 3, 4)
}

/// `500156199001011234` → `500156********1234`: keeps the region code and the last four characters.
pub fn mask_id_card(id: &str) -> String {
    mask(id, 6, 4)
}

/// `张三丰` → `张**`: keeps the surname's first character (a name of one character is all masked).
pub fn mask_name(name: &str) -> String {
    mask(name, 1, 0)
}

fn mask(s: &str, keep_head: usize, keep_tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= keep_head + keep_tail {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_head || i >= chars.len() - keep_tail {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_prefix_and_suffix() {
        assert_eq!(mask_phone("13912345678"), "139****5678");
        assert_eq!(mask_id_card("50015619900101123X"), "500156********123X");
        assert_eq!(mask_phone("12345"), "*****");
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("王"), "*");
    }
}
