//! People who may publish: a name and the SHA-256 of a random token. The token itself
//! is shown once, when the person is added, and never stored.

use super::ArchiveError;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A person known to the archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
}

/// A new token: 32 random bytes from rand's thread generator (a CSPRNG seeded by the
/// operating system), as 64 hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// What the archive keeps of a token. A token has 256 random bits, so a fast hash is
/// enough: no one can search that space, and a stolen database gives no token back.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A user name: 1 to 40 letters, digits, `-`, `_` or `.`.
pub fn check_user_name(name: &str) -> Result<(), ArchiveError> {
    let ok = (1..=40).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ArchiveError::Invalid(format!(
            "user name '{name}' is not allowed: 1 to 40 letters, digits, '-', '_' or '.'"
        )))
    }
}
