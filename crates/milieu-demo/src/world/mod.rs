//! The fixed knowledge the generator draws from: value chains with their segments, industry
//! codes and traded goods, the home region's sub-regions and towns, partner countries, names.
//!
//! Industry codes are real: NAICS 2017 six-digit industries and NACE Rev. 2 classes that
//! describe each segment. Place and firm names are invented.
//!
//! Modules: [`chains`] (value chains, goods, initiatives), [`places`] (the home region and
//! partner places) and [`names`] (name pools).

mod chains;
mod names;
mod places;

pub(crate) use chains::*;
pub(crate) use names::*;
pub(crate) use places::*;

#[cfg(test)]
mod tests {
    use super::*;
    use milieu_model::SectorCode;

    #[test]
    fn codes_are_well_formed_and_goods_point_to_segments() {
        for chain in &CHAINS {
            let total: f64 = chain.segments.iter().map(|s| s.weight).sum();
            assert!(
                (total - 1.0).abs() < 1e-9,
                "{} weights sum to {total}",
                chain.key
            );
            for seg in chain.segments {
                for code in seg.naics {
                    assert!(SectorCode::parse(code).is_ok(), "{code}");
                }
                assert!(SectorCode::parse(&format!("nace:{}", seg.nace)).is_ok());
            }
        }
        for good in GOODS {
            for (c, s) in [good.seller, good.buyer] {
                assert!(s < CHAINS[c].segments.len(), "{}", good.term);
            }
        }
        let chain_total: f64 = CHAINS.iter().map(|c| c.weight).sum();
        assert!((chain_total - 1.0).abs() < 1e-9);
    }

    #[test]
    fn every_segment_sells_or_buys_something() {
        for (c, chain) in CHAINS.iter().enumerate() {
            for s in 0..chain.segments.len() {
                assert!(
                    GOODS
                        .iter()
                        .any(|g| g.seller == (c, s) || g.buyer == (c, s)),
                    "{} segment {s} trades nothing",
                    chain.key
                );
            }
        }
    }
}
