//! A 2048^3 single-precision product through the same `gemm` crate as training, on
//! every rayon thread: the machine's practical f32 peak, measured in the same run as
//! the work compared with it (`benches/train.rs`, `benches/render.rs`).

pub const SGEMM_N: usize = 2048;

pub struct Sgemm {
    a: Vec<f32>,
    b: Vec<f32>,
    c: Vec<f32>,
}

impl Sgemm {
    pub fn new() -> Sgemm {
        let n = SGEMM_N;
        Sgemm {
            a: (0..n * n).map(|i| ((i % 17) as f32) * 0.01).collect(),
            b: (0..n * n).map(|i| ((i % 13) as f32) * 0.01).collect(),
            c: vec![0.0; n * n],
        }
    }

    /// One n x n x n product on every rayon thread, through the same crate as training.
    pub fn run(&mut self) {
        let n = SGEMM_N;
        // SAFETY: all three buffers are n x n, column-major with column stride n.
        unsafe {
            gemm::gemm(
                n,
                n,
                n,
                self.c.as_mut_ptr(),
                n as isize,
                1,
                false,
                self.a.as_ptr(),
                n as isize,
                1,
                self.b.as_ptr(),
                n as isize,
                1,
                1.0,
                1.0,
                false,
                false,
                false,
                gemm::Parallelism::Rayon(0),
            );
        }
    }

    pub fn flops() -> f64 {
        2.0 * (SGEMM_N as f64).powi(3)
    }
}
