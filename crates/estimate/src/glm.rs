//! Poisson regression with a log link, fitted by Newton–Raphson (the same
//! iterations as R's IRLS for this canonical link) with step halving.
//!
//! Log-linear capture–recapture needs more than a plain fit: when a margin
//! of the table is empty, the maximum-likelihood estimate lies on the
//! boundary (some parameters at minus infinity) and Newton's method never
//! converges. We find those cells, fit the remaining ones exactly (the
//! "extended" MLE of Fienberg & Rinaldo 2012), and then ask whether the
//! unobserved cell is still determined by the data. When it is not, the
//! estimate of the population runs off to infinity and is reported as such,
//! never as a number.

/// A dense row-major design matrix: one row per cell, one column per
/// parameter, the intercept first.
#[derive(Debug, Clone)]
pub(crate) struct Design {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Design {
    pub fn at(&self, r: usize, c: usize) -> f64 {
        self.data[r * self.cols + c]
    }

    /// The same design without some columns.
    pub fn without_columns(&self, drop: &[usize]) -> Design {
        let keep: Vec<usize> = (0..self.cols).filter(|c| !drop.contains(c)).collect();
        let mut data = Vec::with_capacity(self.rows * keep.len());
        for r in 0..self.rows {
            for &c in &keep {
                data.push(self.at(r, c));
            }
        }
        Design {
            rows: self.rows,
            cols: keep.len(),
            data,
        }
    }
}

/// The result of one fit.
#[derive(Debug, Clone)]
pub(crate) struct Fit {
    /// Coefficients per design column; columns that could not be estimated
    /// (on the boundary) are NaN.
    pub beta: Vec<f64>,
    /// Fitted counts per row; exactly 0 for cells fitted on the boundary.
    pub mu: Vec<f64>,
    /// Poisson deviance over all rows.
    pub deviance: f64,
    /// Whether the deviance settled.
    pub converged: bool,
    /// Rows whose fitted count is zero because the data put the estimate on
    /// the boundary of the parameter space.
    pub boundary_rows: Vec<usize>,
    /// Whether the intercept (the log of the expected count in the
    /// unobserved cell) is determined by the data.
    pub intercept_estimable: bool,
    /// The intercept's sampling variance (inverse Fisher information).
    pub var_intercept: f64,
}

/// Fitted counts below this, in cells with no records, mean the fit went to
/// the boundary. Regular fits of capture tables are many orders larger.
const ZERO_FIT: f64 = 1e-8;
const MAX_ITER: usize = 100;
const TOL: f64 = 1e-11;

/// Fits `y ~ Poisson(exp(X β))`.
///
/// `known_zero` lists rows that are known in advance to be fitted as zero
/// (cells inside an empty margin); `start` gives starting coefficients (for
/// the profile likelihood, where neighbouring fits are close).
pub(crate) fn fit_poisson(
    x: &Design,
    y: &[f64],
    known_zero: &[usize],
    start: Option<&[f64]>,
) -> Fit {
    debug_assert_eq!(x.rows, y.len());
    let mut zero_rows: Vec<usize> = known_zero.to_vec();
    let mut start_beta: Option<Vec<f64>> = start.map(<[f64]>::to_vec);
    // At most a few rounds: each round can only add boundary cells.
    for _round in 0..6 {
        let active: Vec<usize> = (0..x.rows).filter(|r| !zero_rows.contains(r)).collect();
        let basis = column_basis(x, &active);
        let sub = Sub {
            x,
            rows: &active,
            cols: &basis.kept,
        };
        let start_sub: Option<Vec<f64>> = start_beta
            .as_ref()
            .map(|b| basis.kept.iter().map(|&c| b[c]).collect());
        let newton = newton(&sub, y, start_sub.as_deref());

        // Cells without records whose fit collapsed: the estimate is on the
        // boundary; fit them as exact zeros and refit the rest.
        let collapsed: Vec<usize> = active
            .iter()
            .zip(&newton.mu)
            .filter(|&(&r, &m)| y[r] == 0.0 && m < ZERO_FIT)
            .map(|(&r, _)| r)
            .collect();
        if !collapsed.is_empty() && collapsed.len() < active.len() {
            zero_rows.extend(collapsed);
            zero_rows.sort_unstable();
            start_beta = None;
            continue;
        }

        let mut beta = vec![f64::NAN; x.cols];
        for (k, &c) in basis.kept.iter().enumerate() {
            beta[c] = newton.beta[k];
        }
        let mut mu = vec![0.0; x.rows];
        for (k, &r) in active.iter().enumerate() {
            mu[r] = newton.mu[k];
        }
        let deviance = deviance(y, &mu);
        let var_intercept = if basis.kept.first() == Some(&0) {
            newton.var_first
        } else {
            f64::NAN
        };
        return Fit {
            beta,
            mu,
            deviance,
            converged: newton.converged,
            boundary_rows: zero_rows,
            intercept_estimable: basis.kept.first() == Some(&0) && basis.intercept_free,
            var_intercept,
        };
    }
    // Unreachable in practice (each round removes cells); report failure
    // rather than loop.
    Fit {
        beta: vec![f64::NAN; x.cols],
        mu: vec![f64::NAN; x.rows],
        deviance: f64::NAN,
        converged: false,
        boundary_rows: zero_rows,
        intercept_estimable: false,
        var_intercept: f64::NAN,
    }
}

/// Poisson deviance `2 Σ [y ln(y/μ) − (y − μ)]`.
pub(crate) fn deviance(y: &[f64], mu: &[f64]) -> f64 {
    2.0 * y
        .iter()
        .zip(mu)
        .map(|(&y, &m)| {
            let log_term = if y > 0.0 { y * (y / m).ln() } else { 0.0 };
            log_term - (y - m)
        })
        .sum::<f64>()
}

/// A view of some rows and columns of a design.
struct Sub<'a> {
    x: &'a Design,
    rows: &'a [usize],
    cols: &'a [usize],
}

struct Basis {
    kept: Vec<usize>,
    /// No dropped column involves the intercept: the unobserved cell's
    /// linear predictor is estimable.
    intercept_free: bool,
}

/// Chooses a maximal set of linearly independent columns on the given rows
/// (modified Gram–Schmidt, in column order so the intercept and the main
/// effects are kept first), and checks whether the intercept is estimable.
fn column_basis(x: &Design, rows: &[usize]) -> Basis {
    let n = rows.len();
    let mut q: Vec<Vec<f64>> = Vec::new(); // orthonormal columns
    // r_coef[k] = representation of kept column k in the orthonormal basis,
    // used to express dropped columns in terms of kept ones.
    let mut r_mat: Vec<Vec<f64>> = Vec::new();
    let mut kept = Vec::new();
    let mut intercept_free = true;
    for c in 0..x.cols {
        let col: Vec<f64> = rows.iter().map(|&r| x.at(r, c)).collect();
        let norm0 = col.iter().map(|v| v * v).sum::<f64>().sqrt();
        let mut v = col.clone();
        let mut proj = vec![0.0; q.len()];
        // Two passes of Gram–Schmidt for numerical safety.
        for _ in 0..2 {
            for (k, qk) in q.iter().enumerate() {
                let d: f64 = qk.iter().zip(&v).map(|(a, b)| a * b).sum();
                proj[k] += d;
                for i in 0..n {
                    v[i] -= d * qk[i];
                }
            }
        }
        let norm = v.iter().map(|t| t * t).sum::<f64>().sqrt();
        if norm0 > 0.0 && norm > 1e-9 * norm0.max(1.0) {
            for t in &mut v {
                *t /= norm;
            }
            let mut r_col = proj;
            r_col.push(norm);
            q.push(v);
            r_mat.push(r_col);
            kept.push(c);
        } else {
            // The column is a combination of kept columns: solve R a = proj
            // (R upper triangular, columns r_mat) for its coefficients a.
            if kept.first() == Some(&0) && !proj.is_empty() {
                let m = kept.len();
                let mut a = vec![0.0; m];
                for i in (0..m).rev() {
                    let mut s = proj[i];
                    for j in (i + 1)..m {
                        s -= r_mat[j][i] * a[j];
                    }
                    a[i] = s / r_mat[i][i];
                }
                if a[0].abs() > 1e-7 {
                    intercept_free = false;
                }
            }
        }
    }
    Basis {
        kept,
        intercept_free,
    }
}

struct Newton {
    beta: Vec<f64>,
    mu: Vec<f64>,
    converged: bool,
    var_first: f64,
}

fn newton(sub: &Sub<'_>, y_all: &[f64], start: Option<&[f64]>) -> Newton {
    let n = sub.rows.len();
    let p = sub.cols.len();
    // Copy the sub-design once: the inner loops then run over contiguous
    // memory.
    let mut xs = Vec::with_capacity(n * p);
    for &r in sub.rows {
        for &c in sub.cols {
            xs.push(sub.x.at(r, c));
        }
    }
    let y: Vec<f64> = sub.rows.iter().map(|&r| y_all[r]).collect();
    let mut h = vec![0.0; p * p];
    let mut g = vec![0.0; p];
    let mut eta = vec![0.0; n];
    let mut mu = vec![0.0; n];

    let mut beta = match start {
        Some(b) if b.iter().all(|v| v.is_finite()) => b.to_vec(),
        _ => {
            // R's start: μ = y + 0.1, then one weighted least-squares step
            // on the working response.
            for i in 0..n {
                mu[i] = y[i] + 0.1;
                eta[i] = mu[i].ln() + (y[i] - mu[i]) / mu[i];
            }
            weighted_normal_equations(&xs, n, p, &mu, &mut h);
            for (j, gj) in g.iter_mut().enumerate() {
                *gj = (0..n).map(|i| xs[i * p + j] * mu[i] * eta[i]).sum();
            }
            if cholesky(&mut h, p) {
                solve_cholesky(&h, p, &mut g);
                g.clone()
            } else {
                let mut b = vec![0.0; p];
                b[0] = (y.iter().sum::<f64>() / n as f64 + 0.1).ln();
                b
            }
        }
    };
    linear_predictor(&xs, n, p, &beta, &mut eta);
    exp_into(&eta, &mut mu);
    let mut dev = deviance(&y, &mu);
    let mut converged = false;
    let mut iterations = 0;
    let mut trial = vec![0.0; p];
    let mut eta_t = vec![0.0; n];
    let mut mu_t = vec![0.0; n];
    while iterations < MAX_ITER {
        iterations += 1;
        weighted_normal_equations(&xs, n, p, &mu, &mut h);
        for (j, gj) in g.iter_mut().enumerate() {
            *gj = (0..n).map(|i| xs[i * p + j] * (y[i] - mu[i])).sum();
        }
        if !cholesky(&mut h, p) {
            break;
        }
        solve_cholesky(&h, p, &mut g);
        let mut step = 1.0;
        let mut accepted = false;
        for _ in 0..40 {
            for j in 0..p {
                trial[j] = beta[j] + step * g[j];
            }
            linear_predictor(&xs, n, p, &trial, &mut eta_t);
            exp_into(&eta_t, &mut mu_t);
            let dev_t = deviance(&y, &mu_t);
            if dev_t.is_finite() && dev_t <= dev + 1e-12 * dev.abs().max(1.0) {
                accepted = true;
                let change = (dev - dev_t).abs();
                beta.copy_from_slice(&trial);
                std::mem::swap(&mut eta, &mut eta_t);
                std::mem::swap(&mut mu, &mut mu_t);
                dev = dev_t;
                let small_step = g
                    .iter()
                    .zip(&beta)
                    .all(|(d, b)| (step * d).abs() <= 1e-9 * (1.0 + b.abs()));
                if change <= TOL * (dev.abs() + 0.1) && small_step {
                    converged = true;
                }
                // Deviance flat but parameters still moving: a boundary
                // direction. Stop; the caller detects the collapsed cells.
                if change <= TOL * (dev.abs() + 0.1)
                    && mu.iter().zip(&y).any(|(&m, &yy)| yy == 0.0 && m < ZERO_FIT)
                {
                    converged = true;
                }
                break;
            }
            step *= 0.5;
        }
        if !accepted || converged {
            if !accepted {
                // No step improves the deviance: we are at the optimum to
                // machine precision.
                converged = true;
            }
            break;
        }
    }
    // Inverse Fisher information for the intercept (first column).
    weighted_normal_equations(&xs, n, p, &mu, &mut h);
    let var_first = if cholesky(&mut h, p) {
        let mut e = vec![0.0; p];
        e[0] = 1.0;
        solve_cholesky(&h, p, &mut e);
        e[0]
    } else {
        f64::NAN
    };
    Newton {
        beta,
        mu,
        converged,
        var_first,
    }
}

fn linear_predictor(xs: &[f64], n: usize, p: usize, beta: &[f64], eta: &mut [f64]) {
    for i in 0..n {
        let row = &xs[i * p..(i + 1) * p];
        eta[i] = row.iter().zip(beta).map(|(a, b)| a * b).sum();
    }
}

fn exp_into(eta: &[f64], mu: &mut [f64]) {
    for (m, &e) in mu.iter_mut().zip(eta) {
        // Beyond e^700 the fit has failed anyway; keep the numbers finite.
        *m = e.min(700.0).exp();
    }
}

/// `H = Xᵀ diag(w) X` (lower triangle and mirror).
fn weighted_normal_equations(xs: &[f64], n: usize, p: usize, w: &[f64], h: &mut [f64]) {
    h.iter_mut().for_each(|v| *v = 0.0);
    for i in 0..n {
        let row = &xs[i * p..(i + 1) * p];
        let wi = w[i];
        for a in 0..p {
            let xa = row[a] * wi;
            if xa == 0.0 {
                continue;
            }
            let ha = &mut h[a * p..a * p + a + 1];
            for (b, hv) in ha.iter_mut().enumerate() {
                *hv += xa * row[b];
            }
        }
    }
    for a in 0..p {
        for b in 0..a {
            h[b * p + a] = h[a * p + b];
        }
    }
}

/// In-place Cholesky factorisation `H = L Lᵀ` (lower triangle). Returns
/// false when `H` is not numerically positive definite.
pub(crate) fn cholesky(h: &mut [f64], p: usize) -> bool {
    for j in 0..p {
        let mut d = h[j * p + j];
        for k in 0..j {
            d -= h[j * p + k] * h[j * p + k];
        }
        // NaN fails too: a non-finite matrix is not positive definite.
        if d.is_nan() || d <= 1e-13 * h[j * p + j].abs().max(1e-300) {
            return false;
        }
        let d = d.sqrt();
        h[j * p + j] = d;
        for i in (j + 1)..p {
            let mut s = h[i * p + j];
            for k in 0..j {
                s -= h[i * p + k] * h[j * p + k];
            }
            h[i * p + j] = s / d;
        }
    }
    true
}

/// Solves `L Lᵀ x = b` in place.
pub(crate) fn solve_cholesky(l: &[f64], p: usize, b: &mut [f64]) {
    for i in 0..p {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * p + k] * b[k];
        }
        b[i] = s / l[i * p + i];
    }
    for i in (0..p).rev() {
        let mut s = b[i];
        for k in (i + 1)..p {
            s -= l[k * p + i] * b[k];
        }
        b[i] = s / l[i * p + i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(rows: &[&[f64]]) -> Design {
        Design {
            rows: rows.len(),
            cols: rows[0].len(),
            data: rows.iter().flat_map(|r| r.iter().copied()).collect(),
        }
    }

    #[test]
    fn recovers_a_log_linear_trend() {
        // y = exp(1 + 0.5 x) exactly: the fit must reproduce it with zero deviance.
        let xs = [0.0, 1.0, 2.0, 3.0];
        let rows: Vec<Vec<f64>> = xs.iter().map(|&x| vec![1.0, x]).collect();
        let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
        let y: Vec<f64> = xs.iter().map(|&x| (1.0f64 + 0.5 * x).exp()).collect();
        let fit = fit_poisson(&design(&refs), &y, &[], None);
        assert!(fit.converged);
        assert!((fit.beta[0] - 1.0).abs() < 1e-8 && (fit.beta[1] - 0.5).abs() < 1e-8);
        assert!(fit.deviance.abs() < 1e-9);
        assert!(fit.intercept_estimable);
    }

    #[test]
    fn empty_margin_goes_to_the_boundary_but_keeps_the_intercept() {
        // Two binary factors a, b plus their interaction; the cell a=b=1 is
        // empty, so the interaction is -inf. The intercept stays estimable.
        let x = design(&[
            &[1.0, 0.0, 0.0, 0.0],
            &[1.0, 1.0, 0.0, 0.0],
            &[1.0, 0.0, 1.0, 0.0],
            &[1.0, 1.0, 1.0, 1.0],
        ]);
        let y = [10.0, 5.0, 4.0, 0.0];
        let fit = fit_poisson(&x, &y, &[], None);
        assert_eq!(fit.boundary_rows, vec![3]);
        assert!(fit.intercept_estimable);
        assert!((fit.beta[0] - 10f64.ln()).abs() < 1e-8);
        assert_eq!(fit.mu[3], 0.0);
    }

    #[test]
    fn cholesky_solves_a_small_system() {
        let mut h = vec![4.0, 2.0, 2.0, 3.0];
        assert!(cholesky(&mut h, 2));
        let mut b = vec![2.0, 1.0];
        solve_cholesky(&h, 2, &mut b);
        // [4 2; 2 3] x = [2; 1] -> x = [0.5, 0]
        assert!((b[0] - 0.5).abs() < 1e-12 && b[1].abs() < 1e-12);
        let mut singular = vec![1.0, 1.0, 1.0, 1.0];
        assert!(!cholesky(&mut singular, 2));
    }
}
