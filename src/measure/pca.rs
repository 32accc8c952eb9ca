//! The PCA control (the paper asks of the SGD skull: "is the fracture just a rotation?"):
//! a layer's centred activations rotated onto their principal components.

use super::neurons::covariance_eigen;
use nalgebra::DMatrix;

/// A layer's rotation: `rotated[k] = sum_i (a_i - mean_i) * basis[(i, k)]`, components
/// by falling variance. The basis is orthonormal, so it rotates back exactly.
pub struct Rotation {
    pub means: Vec<f64>,
    pub basis: DMatrix<f64>,
    /// Variance along each component, largest first.
    pub variances: Vec<f64>,
}

impl Rotation {
    pub fn of(planes: &[&[f32]]) -> Rotation {
        let eig = covariance_eigen(planes);
        let n = planes.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
        let basis = DMatrix::from_fn(n, n, |i, k| eig.eigenvectors[(i, order[k])]);
        let means = planes
            .iter()
            .map(|p| p.iter().map(|&v| f64::from(v)).sum::<f64>() / p.len().max(1) as f64)
            .collect();
        Rotation {
            means,
            basis,
            variances: order.iter().map(|&k| eig.eigenvalues[k].max(0.0)).collect(),
        }
    }

    /// The planes rotated onto the components (one matrix product).
    pub fn rotate(&self, planes: &[&[f32]]) -> Vec<Vec<f32>> {
        let n = planes.len();
        let pixels = planes.first().map_or(0, |p| p.len());
        let z = DMatrix::from_fn(pixels, n, |px, i| f64::from(planes[i][px]) - self.means[i]);
        let r = z * &self.basis;
        (0..n)
            .map(|k| r.column(k).iter().map(|&v| v as f32).collect())
            .collect()
    }

    /// Rotated planes back to the neurons' own.
    pub fn unrotate(&self, rotated: &[Vec<f32>]) -> Vec<Vec<f32>> {
        let n = rotated.len();
        let pixels = rotated.first().map_or(0, Vec::len);
        (0..n)
            .map(|i| {
                (0..pixels)
                    .map(|px| {
                        (self.means[i]
                            + (0..n)
                                .map(|k| f64::from(rotated[k][px]) * self.basis[(i, k)])
                                .sum::<f64>()) as f32
                    })
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Grid;

    #[test]
    fn rotation_back_gives_the_layer() {
        let p = Grid::square(24).input_planes();
        let (x, y, d) = (p.plane(0), p.plane(1), p.plane(2));
        let a: Vec<f32> = x.iter().zip(y).map(|(a, b)| (3.0 * a + b).sin()).collect();
        let b: Vec<f32> = d.iter().map(|v| (-v * v).exp()).collect();
        let c: Vec<f32> = a.iter().zip(&b).map(|(u, v)| 0.5 * u - v + 0.2).collect();
        let layer = [&a[..], &b[..], &c[..], x];
        let rot = Rotation::of(&layer);
        let rotated = rot.rotate(&layer);
        assert!(rot.variances.windows(2).all(|w| w[0] >= w[1]));
        // c is a mix of a and b: the last component carries nothing.
        assert!(rot.variances[3] < 1e-9);
        let back = rot.unrotate(&rotated);
        for (orig, got) in layer.iter().zip(&back) {
            let err = orig
                .iter()
                .zip(got)
                .map(|(u, v)| (u - v).abs())
                .fold(0.0, f32::max);
            assert!(err < 1e-5, "{err}");
        }
        // Components are uncorrelated.
        let r = super::super::neurons::pearson(&rotated[0], |i| rotated[1][i]);
        assert!(r.abs() < 1e-4, "{r}");
    }
}
