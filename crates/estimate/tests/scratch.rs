use qantar_estimate::loglinear::*;
use qantar_estimate::Overlaps;
#[test]
fn scratch() {
    for f in ["kosovo_1999","rcapture_lesbian_allegheny","uk_modern_slavery_2013_5lists","new_orleans_trafficking_5lists"] {
    let text = std::fs::read_to_string(format!("/work/shared/data/mse/{f}.json")).unwrap();
    let o = Overlaps::from_mse_json(&text).unwrap();
    let mut y = vec![0.0; 1 << o.list_count()];
    for p in o.patterns() { let m = p.on.iter().enumerate().fold(0usize, |m,(j,&b)| if b {m | 1<<j} else {m}); y[m] = p.count as f64; }
    println!("== {f}");
    for h in Heterogeneity::ALL { let fit = fit_model(&Model::Heterogeneity(h), &y, o.lists()); println!("{:14} {:?} {:?} dev {:.3} df {} aic {:.3} bic {:.3} {:?}", fit.model, fit.estimate, fit.stderr, fit.deviance, fit.df, fit.aic, fit.bic, fit.status); }
    let t = std::time::Instant::now();
    let mo = if o.list_count()==4 {3} else {2};
    let mut fits: Vec<_> = all_hierarchies(o.list_count(), mo).into_iter().map(|h| fit_model(&Model::Hierarchical(h), &y, o.lists())).collect();
    println!("{} models in {:?}", fits.len(), t.elapsed());
    fits.sort_by(|a,b| a.bic.partial_cmp(&b.bic).unwrap());
    for fit in fits.iter().take(8) { println!("{:14} {:?} {:?} dev {:.3} df {} aic {:.3} bic {:.3} {:?} {:?}", fit.model, fit.estimate, fit.stderr, fit.deviance, fit.df, fit.aic, fit.bic, fit.status, fit.boundary_terms); }
    fits.sort_by(|a,b| a.aic.partial_cmp(&b.aic).unwrap());
    for fit in fits.iter().take(3) { println!("AIC {:14} {:?} {:?} dev {:.3} df {} aic {:.3} bic {:.3} {:?} {:?}", fit.model, fit.estimate, fit.stderr, fit.deviance, fit.df, fit.aic, fit.bic, fit.status, fit.boundary_terms); }
    let st: std::collections::BTreeMap<String,usize> = fits.iter().fold(Default::default(), |mut m, f| {*m.entry(format!("{:?}",f.status)).or_default()+=1; m});
    println!("{st:?}");
    }
}
