//! Parsers for argument values shared by several commands.

use picbreeder::grid::Window;

/// `N` (square) or `WxH`, each 1..=[`picbreeder::limits::MAX_IMAGE_SIDE`].
pub fn size(s: &str) -> Result<(usize, usize), String> {
    let parse = |t: &str| -> Result<usize, String> {
        let v: usize = t
            .trim()
            .parse()
            .map_err(|_| format!("'{s}' is not a size: use N or WxH, e.g. 256 or 640x480"))?;
        picbreeder::limits::check_side(v)
    };
    match s.split_once(['x', 'X']) {
        Some((w, h)) => Ok((parse(w)?, parse(h)?)),
        None => {
            let n = parse(s)?;
            Ok((n, n))
        }
    }
}

/// `X0,X1,Y0,Y1`: the part of the plane to show (y0 is the top row).
pub fn window(s: &str) -> Result<Window, String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|t| t.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("'{s}' is not a window: use X0,X1,Y0,Y1, e.g. -1,1,-1,1"))?;
    match v[..] {
        [x0, x1, y0, y1] if v.iter().all(|f| f.is_finite()) && x0 != x1 && y0 != y1 => {
            Ok(Window { x0, x1, y0, y1 })
        }
        _ => Err(format!(
            "'{s}' is not a window: use four finite numbers X0,X1,Y0,Y1 with X0 != X1 and Y0 != Y1"
        )),
    }
}

/// Adam's learning rate: a finite number of at least
/// [`picbreeder::limits::MIN_LEARNING_RATE`].
pub fn learning_rate(s: &str) -> Result<f32, String> {
    let lr: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number"))?;
    picbreeder::limits::check_learning_rate(lr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size("256"), Ok((256, 256)));
        assert_eq!(size("640x480"), Ok((640, 480)));
        assert!(size("0").is_err());
        assert!(size("12x").is_err());
        assert!(size("huge").is_err());
    }

    #[test]
    fn windows() {
        assert_eq!(window("-1,1,-1,1"), Ok(Window::default()));
        assert!(window("0,0,1,2").is_err());
        assert!(window("1,2,3").is_err());
        assert!(window("a,b,c,d").is_err());
    }
}
