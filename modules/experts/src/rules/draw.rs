//! 专家随机抽取 — a reproducible, verifiable draw of experts, on the commit–reveal protocol of
//! the inspections draw (`modules/inspections/src/rules/draw.rs`, `jianan-draw-v2`), with the
//! avoidance decided *before* the commitment and written into the committed document.
//!
//! # Protocol `jianan-expert-draw-v1`
//!
//! 1. Commit: the pool (active experts of the specialty), the avoided experts with their reasons
//!    ([`super::avoidance`]), the count and the draw date are fixed; a 32-byte seed is generated;
//!    `commitment = hex(SHA-256(seed_bytes ‖ SHA-256(document)))` ([`commitment_of`]) is
//!    published, the seed kept secret.
//! 2. Draw: [`order`] ranks every eligible expert; the first `count` serve, the rest are the
//!    replacements in that order (an expert who refuses is replaced by the next one not yet used).
//! 3. Reveal: the seed and the document are published; anyone checks the commitment and re-runs
//!    [`order`] ([`verify`]).
//!
//! # Canonical document ([`canonical_json`])
//!
//! One line of ASCII JSON, no whitespace, keys in this order, uuids lower-case hyphenated, the
//! eligible ids sorted ascending, the avoided pairs sorted by id:
//!
//! ```text
//! {"v":"jianan-expert-draw-v1","date":"YYYY-MM-DD","subject":"<uuid>","project":"<uuid>",
//!  "specialty":"FOUNDATION_PIT","count":5,"eligible":["<uuid>",…],
//!  "avoided":[["<uuid>","EMPLOYED_BY_PARTICIPANT"],…]}
//! ```
//!
//! # Random stream and order
//!
//! `block_i = SHA-256(seed_bytes ‖ b"jianan-expert-draw-v1" ‖ u64_be(i))`; words are 8 bytes at a
//! time, big-endian, in order. `uniform(n)` rejects words `≥ floor(2^64/n)·n` and returns `x mod n`
//! (no modulo bias), exactly as the inspections draw. The order is built by repeatedly taking
//! `remaining[uniform(len)]` out of the sorted eligible list until it is empty.
//!
//! Limitation (as for inspections): commit–reveal proves the seed and the pool did not change
//! after the commitment; it cannot prove no other seed was tried before committing.
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entity::enums::{Avoidance, Specialty};

/// The protocol tag (the `"v"` of the document and the stream's domain separation).
pub const PROTOCOL: &str = "jianan-expert-draw-v1";

/// Everything committed before the draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawDocument {
    pub date: chrono::NaiveDate,
    pub subject: Uuid,
    pub project: Uuid,
    pub specialty: Specialty,
    pub count: u32,
    pub eligible: Vec<Uuid>,
    pub avoided: Vec<(Uuid, Avoidance)>,
}

fn code<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The canonical document (see the module documentation).
pub fn canonical_json(d: &DrawDocument) -> String {
    let mut eligible = d.eligible.clone();
    eligible.sort();
    eligible.dedup();
    let mut avoided = d.avoided.clone();
    avoided.sort();
    avoided.dedup();
    let eligible: Vec<String> = eligible.iter().map(|u| format!("\"{u}\"")).collect();
    let avoided: Vec<String> = avoided
        .iter()
        .map(|(u, r)| format!("[\"{u}\",\"{}\"]", code(r)))
        .collect();
    format!(
        "{{\"v\":\"{PROTOCOL}\",\"date\":\"{}\",\"subject\":\"{}\",\"project\":\"{}\",\"specialty\":\"{}\",\"count\":{},\"eligible\":[{}],\"avoided\":[{}]}}",
        d.date.format("%Y-%m-%d"),
        d.subject,
        d.project,
        code(&d.specialty),
        d.count,
        eligible.join(","),
        avoided.join(",")
    )
}

/// Why a draw cannot be made or checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawError {
    /// The seed is not 64 hex digits.
    BadSeed,
    /// Fewer eligible experts than the count.
    NotEnough { have: usize, need: u32 },
}

fn seed_bytes(seed_hex: &str) -> Result<[u8; 32], DrawError> {
    let v = hex::decode(seed_hex).map_err(|_| DrawError::BadSeed)?;
    <[u8; 32]>::try_from(v.as_slice()).map_err(|_| DrawError::BadSeed)
}

/// `hex(SHA-256(seed_bytes ‖ SHA-256(canonical_json)))`.
pub fn commitment_of(seed_hex: &str, d: &DrawDocument) -> Result<String, DrawError> {
    let seed = seed_bytes(seed_hex)?;
    let digest = Sha256::digest(canonical_json(d).as_bytes());
    let mut h = Sha256::new();
    h.update(seed);
    h.update(digest);
    Ok(hex::encode(h.finalize()))
}

struct Stream {
    seed: [u8; 32],
    block: u64,
    words: Vec<u64>,
}

impl Stream {
    fn next(&mut self) -> u64 {
        if self.words.is_empty() {
            let mut h = Sha256::new();
            h.update(self.seed);
            h.update(PROTOCOL.as_bytes());
            h.update(self.block.to_be_bytes());
            self.block += 1;
            let d = h.finalize();
            // Kept reversed so that `pop` yields them in stream order.
            self.words = d
                .chunks(8)
                .rev()
                .map(|c| {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(c);
                    u64::from_be_bytes(b)
                })
                .collect();
        }
        self.words.pop().unwrap_or_default()
    }
    fn uniform(&mut self, n: u64) -> u64 {
        let n128 = u128::from(n.max(1));
        let limit = ((1u128 << 64) / n128) * n128;
        loop {
            let x = u128::from(self.next());
            if x < limit {
                return u64::try_from(x % n128).unwrap_or_default();
            }
        }
    }
}

/// The drawn order of every eligible expert: the first `count` serve, the rest replace them in
/// turn. Refused when fewer than `count` experts are eligible.
pub fn order(seed_hex: &str, d: &DrawDocument) -> Result<Vec<Uuid>, DrawError> {
    let seed = seed_bytes(seed_hex)?;
    let mut remaining = d.eligible.clone();
    remaining.sort();
    remaining.dedup();
    if remaining.len() < d.count as usize {
        return Err(DrawError::NotEnough {
            have: remaining.len(),
            need: d.count,
        });
    }
    let mut s = Stream {
        seed,
        block: 0,
        words: Vec::new(),
    };
    let mut out = Vec::with_capacity(remaining.len());
    while !remaining.is_empty() {
        let i = s.uniform(remaining.len() as u64);
        out.push(remaining.remove(usize::try_from(i).unwrap_or_default()));
    }
    Ok(out)
}

/// Checks a published draw: the commitment matches the seed and document, and the order is the
/// one the seed gives.
pub fn verify(
    seed_hex: &str,
    d: &DrawDocument,
    commitment: &str,
    published_order: &[Uuid],
) -> bool {
    commitment_of(seed_hex, d).is_ok_and(|c| c.eq_ignore_ascii_case(commitment))
        && order(seed_hex, d).is_ok_and(|o| o == published_order)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::NaiveDate;

    use super::*;
    use crate::entity::enums::ExpertStatus;
    use crate::rules::avoidance::{ExpertFacts, ProjectFacts, avoidance, split};

    /// SplitMix64, for reproducible random pools.
    struct Mix(u64);
    impl Mix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn doc(eligible: Vec<Uuid>, count: u32) -> DrawDocument {
        DrawDocument {
            date: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            subject: Uuid::from_u128(1),
            project: Uuid::from_u128(2),
            specialty: Specialty::FoundationPit,
            count,
            eligible,
            avoided: vec![(Uuid::from_u128(9), Avoidance::Suspended)],
        }
    }

    #[test]
    fn the_document_is_canonical() {
        let d = doc(vec![Uuid::from_u128(4), Uuid::from_u128(3)], 1);
        assert_eq!(
            canonical_json(&d),
            "{\"v\":\"jianan-expert-draw-v1\",\"date\":\"2026-12-03\",\"subject\":\"00000000-0000-0000-0000-000000000001\",\"project\":\"00000000-0000-0000-0000-000000000002\",\"specialty\":\"FOUNDATION_PIT\",\"count\":1,\"eligible\":[\"00000000-0000-0000-0000-000000000003\",\"00000000-0000-0000-0000-000000000004\"],\"avoided\":[[\"00000000-0000-0000-0000-000000000009\",\"SUSPENDED\"]]}"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_order_and_verifies() {
        let seed = "ab".repeat(32);
        let d = doc((10..20).map(Uuid::from_u128).collect(), 3);
        let a = order(&seed, &d).unwrap();
        assert_eq!(a, order(&seed, &d).unwrap());
        assert_eq!(a.len(), 10);
        assert_eq!(a.iter().collect::<BTreeSet<_>>().len(), 10);
        let c = commitment_of(&seed, &d).unwrap();
        assert!(verify(&seed, &d, &c, &a));
        // Another seed, another document or another order fails the check.
        assert!(!verify(&"cd".repeat(32), &d, &c, &a));
        let mut other = d.clone();
        other.count = 4;
        assert!(!verify(&seed, &other, &c, &a));
        let mut swapped = a.clone();
        swapped.swap(0, 1);
        assert!(!verify(&seed, &d, &c, &swapped));
    }

    #[test]
    fn bad_seeds_and_short_pools_are_refused() {
        let d = doc(vec![Uuid::from_u128(3)], 2);
        assert_eq!(order("zz", &d), Err(DrawError::BadSeed));
        assert_eq!(
            order(&"00".repeat(32), &d),
            Err(DrawError::NotEnough { have: 1, need: 2 })
        );
    }

    /// Property: over many random pools, participants, statuses and histories, no drawn expert
    /// (serving or replacement) is one the avoidance rules exclude, and the order is a
    /// permutation of the eligible experts.
    #[test]
    fn a_draw_never_picks_a_conflicted_expert() {
        let mut r = Mix(20261203);
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        for round in 0..500u32 {
            let enterprises: Vec<Uuid> = (0..1 + r.below(6))
                .map(|i| Uuid::from_u128(1_000 + u128::from(i)))
                .collect();
            let participants: BTreeSet<Uuid> = enterprises
                .iter()
                .copied()
                .filter(|_| r.below(2) == 0)
                .collect();
            let n = 1 + r.below(40);
            let experts: Vec<ExpertFacts> = (0..n)
                .map(|i| ExpertFacts {
                    id: Uuid::from_u128(u128::from(round) << 32 | u128::from(i)),
                    status: match r.below(10) {
                        0 => ExpertStatus::Suspended,
                        1 => ExpertStatus::Retired,
                        _ => ExpertStatus::Active,
                    },
                    employer: (r.below(3) > 0)
                        .then(|| enterprises[r.below(enterprises.len() as u64) as usize]),
                    last_on_project: (r.below(4) == 0)
                        .then(|| today - chrono::Days::new(r.below(200))),
                })
                .collect();
            let on_subject: BTreeSet<Uuid> = experts
                .iter()
                .map(|e| e.id)
                .filter(|_| r.below(8) == 0)
                .collect();
            let p = ProjectFacts {
                participants,
                on_subject,
            };
            let (eligible, avoided) = split(&experts, &p, today);
            let count = u32::try_from(r.below(eligible.len() as u64 + 2)).unwrap();
            let mut seed = [0u8; 32];
            for b in &mut seed {
                *b = r.next() as u8;
            }
            let seed = hex::encode(seed);
            let d = DrawDocument {
                avoided,
                ..doc(eligible.clone(), count)
            };
            match order(&seed, &d) {
                Ok(o) => {
                    assert!(count as usize <= eligible.len());
                    let drawn: BTreeSet<Uuid> = o.iter().copied().collect();
                    assert_eq!(drawn, eligible.iter().copied().collect());
                    for id in &o {
                        let e = experts.iter().find(|e| e.id == *id).unwrap();
                        assert_eq!(avoidance(e, &p, today), None, "round {round}: {id}");
                    }
                }
                Err(DrawError::NotEnough { have, need }) => {
                    assert_eq!(have, eligible.len());
                    assert!(need as usize > have);
                }
                Err(e) => panic!("{e:?}"),
            }
        }
    }
}
