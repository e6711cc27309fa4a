//! Removing what a photo says about the device and the place it was taken (EXIF: camera make,
//! model and serial number, GPS position, time; XMP; IPTC; comments), for records whose uploader
//! must not be identifiable — a member of the public reporting a hazard (DESIGN §3). The pixels
//! and what is needed to show them (JFIF, the ICC colour profile, Adobe's colour transform, PNG's
//! image and palette chunks) are kept, byte for byte; the file is streamed, never held whole.
//!
//! JPEG (ITU-T T.81 / ISO/IEC 10918-1, Annex B): a stream of marker segments up to the first
//! start-of-scan; the application segments APP1 (Exif, XMP), APP3–APP13 (APP13: Photoshop IPTC),
//! APP15 and comments (COM) are dropped; APP0 (JFIF), APP2 (ICC profile) and APP14 (Adobe) are
//! kept; from the start of scan on everything is copied. PNG (ISO/IEC 15948, §11): the textual
//! chunks tEXt, zTXt and iTXt, eXIf and tIME are dropped; every other chunk is copied.
use std::io::{self, Read, Write};

/// Which kinds of image can be cleaned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
}

impl ImageKind {
    /// The kind of a sniffed media type, if it can be cleaned.
    pub fn of_media_type(media_type: &str) -> Option<ImageKind> {
        match media_type {
            "image/jpeg" => Some(ImageKind::Jpeg),
            "image/png" => Some(ImageKind::Png),
            _ => None,
        }
    }
}

/// Why a file could not be cleaned: it is not the image it claims to be.
#[derive(Debug)]
pub struct Malformed;

impl From<io::Error> for Malformed {
    fn from(_: io::Error) -> Self {
        Malformed
    }
}

/// Copies the image in `from` to `to` without its identifying metadata.
pub fn strip(kind: ImageKind, from: impl Read, to: impl Write) -> Result<(), Malformed> {
    match kind {
        ImageKind::Jpeg => strip_jpeg(from, to),
        ImageKind::Png => strip_png(from, to),
    }
}

fn dropped_jpeg_segment(marker: u8) -> bool {
    matches!(marker, 0xE1 | 0xE3..=0xED | 0xEF | 0xFE)
}

fn strip_jpeg(mut from: impl Read, mut to: impl Write) -> Result<(), Malformed> {
    let mut soi = [0u8; 2];
    from.read_exact(&mut soi)?;
    if soi != [0xFF, 0xD8] {
        return Err(Malformed);
    }
    to.write_all(&soi)?;
    loop {
        let mut b = [0u8; 1];
        from.read_exact(&mut b)?;
        if b[0] != 0xFF {
            return Err(Malformed);
        }
        // Fill bytes (0xFF) may precede a marker.
        let mut marker = 0xFF;
        while marker == 0xFF {
            from.read_exact(&mut b)?;
            marker = b[0];
        }
        match marker {
            // Start of scan: from here on the entropy-coded data and whatever follows.
            0xDA => {
                to.write_all(&[0xFF, marker])?;
                io::copy(&mut from, &mut to)?;
                return Ok(());
            }
            // End of image before any scan: done.
            0xD9 => {
                to.write_all(&[0xFF, marker])?;
                return Ok(());
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => to.write_all(&[0xFF, marker])?,
            _ => {
                let mut len = [0u8; 2];
                from.read_exact(&mut len)?;
                let n = u16::from_be_bytes(len);
                if n < 2 {
                    return Err(Malformed);
                }
                let mut body = (&mut from).take(u64::from(n - 2));
                if dropped_jpeg_segment(marker) {
                    let skipped = io::copy(&mut body, &mut io::sink())?;
                    if skipped != u64::from(n - 2) {
                        return Err(Malformed);
                    }
                } else {
                    to.write_all(&[0xFF, marker])?;
                    to.write_all(&len)?;
                    let copied = io::copy(&mut body, &mut to)?;
                    if copied != u64::from(n - 2) {
                        return Err(Malformed);
                    }
                }
            }
        }
    }
}

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

fn strip_png(mut from: impl Read, mut to: impl Write) -> Result<(), Malformed> {
    let mut sig = [0u8; 8];
    from.read_exact(&mut sig)?;
    if sig != PNG_SIGNATURE {
        return Err(Malformed);
    }
    to.write_all(&sig)?;
    loop {
        let mut head = [0u8; 8];
        from.read_exact(&mut head)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        if len > 0x7FFF_FFFF {
            return Err(Malformed);
        }
        let kind = [head[4], head[5], head[6], head[7]];
        // Data and CRC.
        let rest = u64::from(len) + 4;
        let mut body = (&mut from).take(rest);
        let dropped = matches!(&kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME");
        let moved = if dropped {
            io::copy(&mut body, &mut io::sink())?
        } else {
            to.write_all(&head)?;
            io::copy(&mut body, &mut to)?
        };
        if moved != rest {
            return Err(Malformed);
        }
        if &kind == b"IEND" {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, marker];
        v.extend_from_slice(&u16::try_from(body.len() + 2).unwrap().to_be_bytes());
        v.extend_from_slice(body);
        v
    }

    /// A JPEG as a phone writes it: JFIF, Exif with the camera and GPS, XMP, an ICC profile, a
    /// comment, the tables, then the scan.
    fn phone_jpeg() -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        j.extend(segment(
            0xE1,
            b"Exif\0\0MM\0*Apple iPhone 15 Pro GPS 29.32N 107.76E",
        ));
        j.extend(segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>SerialNumber 12345</x:xmpmeta>",
        ));
        j.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01sRGB"));
        j.extend(segment(0xED, b"Photoshop 3.0\0IPTC by-line"));
        j.extend(segment(0xFE, b"taken by Zhang San"));
        j.extend(segment(0xDB, &[0u8; 65]));
        j.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        j.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
        // Entropy-coded data, with a stuffed 0xFF00 and a restart marker, then EOI.
        j.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9]);
        j
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_jpeg_loses_exif_xmp_iptc_and_comments_and_keeps_its_image() {
        let mut out = Vec::new();
        strip(ImageKind::Jpeg, phone_jpeg().as_slice(), &mut out).unwrap();
        for secret in [
            &b"iPhone"[..],
            b"GPS",
            b"SerialNumber",
            b"IPTC",
            b"Zhang San",
        ] {
            assert!(
                !contains(&out, secret),
                "{}",
                String::from_utf8_lossy(secret)
            );
        }
        // What is left is exactly SOI, JFIF, ICC, the tables and the scan, in order.
        let mut expected = vec![0xFF, 0xD8];
        expected.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        expected.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01sRGB"));
        expected.extend(segment(0xDB, &[0u8; 65]));
        expected.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        expected.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
        expected.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9]);
        assert_eq!(out, expected);
    }

    #[test]
    fn truncated_or_foreign_files_are_malformed() {
        let j = phone_jpeg();
        let mut out = Vec::new();
        // Cut inside the Exif segment.
        assert!(strip(ImageKind::Jpeg, &j[..30], &mut out).is_err());
        assert!(strip(ImageKind::Jpeg, &b"GIF89a"[..], &mut Vec::new()).is_err());
        assert!(strip(ImageKind::Png, j.as_slice(), &mut Vec::new()).is_err());
    }

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut v = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(data);
        v.extend_from_slice(&[0, 0, 0, 0]); // CRC (not checked here)
        v
    }

    #[test]
    fn a_png_loses_its_text_exif_and_time_chunks() {
        let mut p = PNG_SIGNATURE.to_vec();
        p.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        p.extend(chunk(b"tEXt", b"Author\0Zhang San"));
        p.extend(chunk(b"eXIf", b"MM\0*Xiaomi 14 GPS"));
        p.extend(chunk(b"tIME", &[7, 234, 12, 3, 10, 0, 0]));
        p.extend(chunk(b"IDAT", &[1, 2, 3]));
        p.extend(chunk(b"IEND", &[]));
        let mut out = Vec::new();
        strip(ImageKind::Png, p.as_slice(), &mut out).unwrap();
        let mut expected = PNG_SIGNATURE.to_vec();
        expected.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        expected.extend(chunk(b"IDAT", &[1, 2, 3]));
        expected.extend(chunk(b"IEND", &[]));
        assert_eq!(out, expected);
    }
}
