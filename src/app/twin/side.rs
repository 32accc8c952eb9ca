//! The two networks the panel compares, by name rather than by 0 and 1.

/// Which network: the evolved CPPN (the genome viewed in the grid) or its SGD twin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Evolved,
    Sgd,
}

impl Side {
    /// Both, in the order the panel draws them (evolved first, as in the paper's figures).
    pub const BOTH: [Side; 2] = [Side::Evolved, Side::Sgd];

    /// The slot of this side in a per-side pair `[evolved, sgd]`.
    pub fn index(self) -> usize {
        match self {
            Side::Evolved => 0,
            Side::Sgd => 1,
        }
    }

    /// The short name in labels.
    pub fn name(self) -> &'static str {
        match self {
            Side::Evolved => "Evolved",
            Side::Sgd => "SGD",
        }
    }
}
