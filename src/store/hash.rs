//! The content hash that names a stored genome: FNV-1a over 128 bits of its JSON text.
//! Not cryptographic; it only has to make two different genomes' names differ, and 128
//! bits keep a collision out of reach for any library a person breeds.

const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
const PRIME: u128 = 0x0000000001000000000000000000013b;

/// 32 hex digits naming `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h = OFFSET;
    for &b in bytes {
        h ^= b as u128;
        h = h.wrapping_mul(PRIME);
    }
    format!("{h:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_value_and_difference() {
        // FNV-1a 128 of the empty input is its offset basis.
        assert_eq!(content_hash(b""), "6c62272e07bb014262b821756295c58d");
        assert_ne!(content_hash(b"{\"a\":1}"), content_hash(b"{\"a\":2}"));
        assert_eq!(content_hash(b"abc"), content_hash(b"abc"));
    }
}
