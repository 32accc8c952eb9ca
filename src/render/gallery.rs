//! Neuron galleries: every neuron's plane, laid out as in the paper's figures (layers as
//! rows, inputs at the bottom, outputs on top, red-white-blue), beside the final image.

use crate::cppn::genome::NodeKind;
use crate::cppn::program::{PlaneNode, Program};
use crate::dense::net::{DenseNet, NetOutputs};
use crate::grid::Planes;
use crate::image::Image;
use crate::layerize::{node_label, node_layers};
use crate::network::Network;

/// One neuron in a gallery: its plane and a short label.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub plane: usize,
    pub label: String,
}

/// Rows of neurons, `rows[0]` the inputs, the last row the outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct GalleryLayout {
    pub rows: Vec<Vec<Cell>>,
}

impl GalleryLayout {
    /// Either kind of network's neurons.
    pub fn of(net: &Network) -> GalleryLayout {
        match net {
            Network::Genome { program, .. } => GalleryLayout::of_program(program),
            Network::Net(net) => GalleryLayout::of_net(net),
        }
    }

    /// A genome's graph: inputs, then hidden nodes by longest-path layer, outputs last.
    pub fn of_program(program: &Program) -> GalleryLayout {
        let layers = node_layers(program);
        let hidden_rows = layers.iter().copied().max().unwrap_or(0);
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); hidden_rows + 2];
        for (p, &PlaneNode { kind, .. }) in program.nodes.iter().enumerate() {
            let row = match kind {
                NodeKind::Input(_) => 0,
                NodeKind::Hidden => layers[p],
                NodeKind::Output(_) => hidden_rows + 1,
            };
            rows[row].push(Cell {
                plane: p,
                label: node_label(program, p),
            });
        }
        rows.retain(|r| !r.is_empty());
        GalleryLayout { rows }
    }

    /// A dense net: inputs, each hidden layer, outputs. Planes as in [`DenseNet::steps`].
    pub fn of_net(net: &DenseNet) -> GalleryLayout {
        let starts = net.layer_starts();
        let widths = net.widths();
        let out_names: &[&str] = match net.outputs {
            NetOutputs::Hsv => &["h", "s", "v"],
            NetOutputs::Grey => &["v"],
        };
        let rows = widths
            .iter()
            .enumerate()
            .map(|(l, &w)| {
                (0..w)
                    .map(|j| {
                        let label = if l == 0 {
                            ["x", "y", "d", "bias"][j].to_string()
                        } else if l == widths.len() - 1 {
                            out_names[j].to_string()
                        } else {
                            let act = net.hidden[l - 1][j];
                            net.labels
                                .get(l - 1)
                                .and_then(|r| r.get(j))
                                .cloned()
                                .unwrap_or_else(|| act.to_string())
                        };
                        Cell {
                            plane: starts[l] + j,
                            label,
                        }
                    })
                    .collect()
            })
            .collect();
        GalleryLayout { rows }
    }

    pub fn neuron_count(&self) -> usize {
        self.rows.iter().map(Vec::len).sum()
    }

    /// Top-left pixel of cell (row, col) in [`gallery_image`] with `tw` x `th` thumbnails.
    pub fn cell_origin(&self, row: usize, col: usize, tw: usize, th: usize) -> (usize, usize) {
        (
            GAP + col * (tw + GAP),
            GAP + (self.rows.len() - 1 - row) * (th + GAP),
        )
    }

    /// The cell under pixel (x, y) of [`gallery_image`], if any.
    pub fn cell_at(&self, x: f32, y: f32, tw: usize, th: usize) -> Option<&Cell> {
        if x < 0.0 || y < 0.0 {
            return None;
        }
        let (x, y) = (x as usize, y as usize);
        let col = x.checked_sub(GAP)? / (tw + GAP);
        let from_top = y.checked_sub(GAP)? / (th + GAP);
        let row = self.rows.len().checked_sub(1 + from_top)?;
        let (ox, oy) = self.cell_origin(row, col, tw, th);
        let inside = x < ox + tw && y < oy + th;
        self.rows.get(row)?.get(col).filter(|_| inside)
    }
}

/// Pixels between thumbnails.
const GAP: usize = 2;

/// The gallery as one picture: rows of `thumb`-pixel neurons (each plane must be
/// `thumb` x `thumb`), outputs on top, and `final_image` to the right.
pub fn gallery_image(planes: &Planes, layout: &GalleryLayout, final_image: &Image) -> Image {
    let (tw, th) = (planes.width, planes.height);
    let cols = layout.rows.iter().map(Vec::len).max().unwrap_or(0);
    let grid_w = cols * (tw + GAP) + GAP;
    let grid_h = layout.rows.len() * (th + GAP) + GAP;
    let width = grid_w + final_image.width + GAP;
    let height = grid_h.max(final_image.height + 2 * GAP);
    let mut img = Image::new(width, height);
    img.fill([64, 64, 64, 255]);
    for (r, row) in layout.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let thumb = Image::from_neuron(planes.plane(cell.plane), tw, th);
            let (x, y) = layout.cell_origin(r, c, tw, th);
            img.blit(&thumb, x, y);
        }
    }
    img.blit(final_image, grid_w, GAP);
    img
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cppn::eval::evaluate;
    use crate::cppn::genome::tests::tiny;
    use crate::grid::Grid;

    #[test]
    fn layout_rows_inputs_hidden_outputs() {
        let program = Program::compile(&tiny()).unwrap();
        let layout = GalleryLayout::of_program(&program);
        let sizes: Vec<usize> = layout.rows.iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![4, 1, 1]);
        assert_eq!(layout.rows[2][0].label, "ink");
        let planes = evaluate(&program, &Grid::square(8));
        let final_image = Image::new(20, 20);
        let img = gallery_image(&planes, &layout, &final_image);
        assert_eq!(img.width, 4 * 10 + 2 + 20 + 2);
        // bottom-left thumbnail is x: its left column is x = -1, red.
        assert_eq!(
            img.pixel(2, img.height.min(3 * 10 + 2) - 10),
            [255, 0, 0, 255]
        );
    }
}
