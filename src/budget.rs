//! The memory budget: what a request (a gallery, a sheet, a strip, a network, a batch)
//! will allocate, estimated from the request before anything is allocated, so a request
//! too big for the machine is refused at once with what it would need and what to
//! change, instead of aborting or being killed half-way.

use std::fmt;

/// Memory one request may use: 1 GiB. `render` and the window's export work in bands
/// and stay far below it at any allowed size; everything else is checked against it.
pub const MEMORY_BUDGET: u64 = 1 << 30;

/// A request over the budget: what it was, what it needs, what to change.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{what} would need {} of memory, over the {} budget: {change}", bytes(*.need), bytes(*.budget))]
pub struct OverBudget {
    pub what: String,
    pub need: u64,
    pub budget: u64,
    pub change: String,
}

/// Refuses `need` bytes over `budget` (usually [`MEMORY_BUDGET`]).
pub fn check(what: &str, need: u64, budget: u64, change: &str) -> Result<(), OverBudget> {
    if need > budget {
        Err(OverBudget {
            what: what.to_string(),
            need,
            budget,
            change: change.to_string(),
        })
    } else {
        Ok(())
    }
}

/// The largest size in `sizes` whose cost fits in `budget` (`cost` grows with the
/// size), found by bisection: what a refusal names as the size to use instead.
pub fn largest_that_fits(
    sizes: std::ops::RangeInclusive<usize>,
    budget: u64,
    cost: impl Fn(usize) -> u64,
) -> Option<usize> {
    let (mut lo, mut hi) = (*sizes.start(), *sizes.end());
    if lo > hi || cost(lo) > budget {
        return None;
    }
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if cost(mid) <= budget {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Some(lo)
}

/// Bytes of `count` values of `size` bytes each, saturating (a request may be absurd).
pub fn times(count: u64, size: u64) -> u64 {
    count.saturating_mul(size)
}

/// Bytes of an RGBA picture `w` x `h`.
pub fn rgba(w: usize, h: usize) -> u64 {
    times(w as u64, h as u64).saturating_mul(4)
}

/// Bytes of `n` float planes of `w` x `h`.
pub fn planes(n: usize, w: usize, h: usize) -> u64 {
    times(n as u64, times(w as u64, h as u64)).saturating_mul(4)
}

/// A byte count people read: 512 B, 14.4 GB, 6.97 TB (powers of 1000).
pub fn bytes(n: u64) -> String {
    struct B(u64);
    impl fmt::Display for B {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
            let mut v = self.0 as f64;
            let mut u = 0;
            while v >= 1000.0 && u + 1 < units.len() {
                v /= 1000.0;
                u += 1;
            }
            if u == 0 {
                write!(f, "{} B", self.0)
            } else if v < 10.0 {
                write!(f, "{v:.2} {}", units[u])
            } else if v < 100.0 {
                write!(f, "{v:.1} {}", units[u])
            } else {
                write!(f, "{v:.0} {}", units[u])
            }
        }
    }
    B(n).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_size_that_fits_is_found() {
        let cost = |n: usize| (n * n) as u64;
        assert_eq!(largest_that_fits(1..=100, 50, cost), Some(7));
        assert_eq!(largest_that_fits(1..=100, 10_000, cost), Some(100));
        assert_eq!(largest_that_fits(2..=100, 3, cost), None);
        let grid = std::hint::black_box(1); // a 1x1 grid leaves no size from 2 on
        assert_eq!(largest_that_fits(2..=grid, 1_000, cost), None);
    }

    #[test]
    fn byte_counts_read_as_people_write_them() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(14_400_000_000), "14.4 GB");
        assert_eq!(bytes(6_970_000_000_000), "6.97 TB");
        assert_eq!(bytes(1 << 30), "1.07 GB");
    }

    #[test]
    fn over_the_budget_says_what_it_needs_and_what_to_change() {
        assert!(check("x", 10, 10, "c").is_ok());
        let e = check(
            "a gallery of 20000 neurons",
            2_000_000_000,
            MEMORY_BUDGET,
            "use a smaller -s",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "a gallery of 20000 neurons would need 2.00 GB of memory, over the 1.07 GB budget: use a smaller -s"
        );
        assert_eq!(times(u64::MAX, 2), u64::MAX);
    }
}
