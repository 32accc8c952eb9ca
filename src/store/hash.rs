//! The content hash that names a stored genome: two 64-bit multiply-xor lanes over the
//! JSON text eight bytes at a time (FNV-style, with different bases and primes), 128 bits
//! in all. Not cryptographic; it only has to make two different genomes' names differ,
//! and a word at a time keeps it cheap for genomes of hundreds of kilobytes.

const BASES: [u64; 2] = [0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142];
const PRIMES: [u64; 2] = [0x0000_0100_0000_01b3, 0x9e37_79b9_7f4a_7c15];

/// 32 hex digits naming `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h = BASES;
    let mut step = |w: u64| {
        for k in 0..2 {
            h[k] = (h[k] ^ w).wrapping_mul(PRIMES[k]);
            h[k] ^= h[k] >> 29;
        }
    };
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        step(u64::from_le_bytes(c.try_into().expect("eight bytes")));
    }
    let mut last = [0u8; 8];
    let rest = chunks.remainder();
    last[..rest.len()].copy_from_slice(rest);
    step(u64::from_le_bytes(last));
    // The length, so inputs differing only in trailing zero bytes differ.
    step(bytes.len() as u64);
    format!("{:016x}{:016x}", h[0], h[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differs_and_repeats() {
        assert_ne!(content_hash(b"{\"a\":1}"), content_hash(b"{\"a\":2}"));
        assert_ne!(content_hash(b"ab"), content_hash(b"ab\0"));
        assert_ne!(content_hash(b"abcdefgh1"), content_hash(b"abcdefgh2"));
        assert_eq!(content_hash(b"abc"), content_hash(b"abc"));
        assert_eq!(content_hash(b"").len(), 32);
    }
}
