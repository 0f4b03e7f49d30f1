//! The few special functions the estimators need, written out so that the
//! crate depends on no numerical library and every constant can be checked.

/// `ln Γ(x)` for `x > 0`, by the Stirling series after shifting `x` above 15.
///
/// Accurate to about 1e-14 relative, which is far below anything that shows
/// in a deviance or a profile likelihood.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    debug_assert!(x > 0.0, "ln_gamma needs a positive argument, got {x}");
    let mut product = 1.0;
    let mut z = x;
    // Recurrence Γ(z+1) = zΓ(z): multiply up the factors we skip over and
    // take one logarithm of them at the end.
    while z < 15.0 {
        product *= z;
        z += 1.0;
    }
    let shift = product.ln();
    let inv = 1.0 / z;
    let inv2 = inv * inv;
    // Bernoulli-number coefficients B_{2k} / (2k (2k-1)).
    let series = inv
        * (1.0 / 12.0
            - inv2
                * (1.0 / 360.0
                    - inv2 * (1.0 / 1260.0 - inv2 * (1.0 / 1680.0 - inv2 * (1.0 / 1188.0)))));
    (z - 0.5) * z.ln() - z + 0.5 * (2.0 * std::f64::consts::PI).ln() + series - shift
}

/// `ln(y!)` for a count.
pub(crate) fn ln_factorial(y: f64) -> f64 {
    if y < 2.0 { 0.0 } else { ln_gamma(y + 1.0) }
}

/// The standard normal quantile function by Acklam's rational approximation
/// (relative error below 1.15e-9), ample for interval levels and for the
/// rank normalisation of R-hat.
pub(crate) fn normal_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const P_LOW: f64 = 0.024_25;
    if p < P_LOW {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - P_LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

/// The chi-square quantile with one degree of freedom at `level`, i.e. the
/// squared two-sided normal quantile: 3.841 for 95 %.
pub(crate) fn chi2_1_quantile(level: f64) -> f64 {
    let z = normal_quantile(0.5 + level / 2.0);
    z * z
}

/// The `q`-quantile of sorted data by linear interpolation between order
/// statistics (R's default, type 7), so medians and intervals read the same
/// way as R LCMCR's `quantile()`.
pub(crate) fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_matches_factorials_and_half_integers() {
        let mut fact = 1.0f64;
        for n in 1..30u32 {
            fact *= f64::from(n);
            let got = ln_gamma(f64::from(n) + 1.0);
            assert!(
                (got - fact.ln()).abs() < 1e-12 * fact.ln().max(1.0),
                "n={n}"
            );
        }
        // Γ(1/2) = √π
        let half = ln_gamma(0.5);
        assert!((half - std::f64::consts::PI.sqrt().ln()).abs() < 1e-13);
    }

    #[test]
    fn normal_quantile_known_points() {
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-8);
        assert!((normal_quantile(0.5)).abs() < 1e-12);
        assert!((normal_quantile(0.001) + 3.090_232_306_167_813).abs() < 1e-8);
        assert!((normal_quantile(0.999_999) - 4.753_424_308_822_899).abs() < 1e-7);
        assert!((chi2_1_quantile(0.95) - 3.841_458_820_694_124).abs() < 1e-7);
    }

    #[test]
    fn quantile_type_7() {
        let data = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&data, 0.5), 2.5);
        assert_eq!(quantile_sorted(&data, 0.0), 1.0);
        assert_eq!(quantile_sorted(&data, 1.0), 4.0);
    }
}
