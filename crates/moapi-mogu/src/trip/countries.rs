//! Trip destinations: ISO 3166-1 alpha-3 country codes, checked against the standard's list
//! (249 officially assigned codes, as published by the Debian iso-codes project), normalised to
//! upper case and de-duplicated in the order given.

const MAX_COUNTRIES: usize = 50;

/// Every officially assigned ISO 3166-1 alpha-3 code, sorted for binary search.
const ALPHA3: &[&str] = &[
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF",
    "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS",
    "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF",
    "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV",
    "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA",
    "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM",
    "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD",
    "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN",
    "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ",
    "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE",
    "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX",
    "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS",
    "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL",
    "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK",
    "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP",
    "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR",
    "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL",
    "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY",
    "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF",
    "ZMB", "ZWE",
];

fn is_alpha3(code: &str) -> bool {
    ALPHA3.binary_search(&code).is_ok()
}

/// Upper-cases and de-duplicates `codes`, keeping their order; names any unknown code.
pub fn normalise(codes: Vec<String>) -> Result<Vec<String>, String> {
    let mut normalised: Vec<String> = Vec::with_capacity(codes.len());
    let mut unknown = Vec::new();
    for code in codes {
        let code = code.trim().to_ascii_uppercase();
        if !is_alpha3(&code) {
            unknown.push(format!("{code:?}"));
        } else if !normalised.contains(&code) {
            normalised.push(code);
        }
    }
    if !unknown.is_empty() {
        return Err(format!(
            "must hold ISO 3166-1 alpha-3 country codes; unknown: {}",
            unknown.join(", ")
        ));
    }
    if normalised.len() > MAX_COUNTRIES {
        return Err(format!("must hold at most {MAX_COUNTRIES} countries"));
    }
    Ok(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn the_list_holds_every_assigned_code_once_in_order() {
        assert_eq!(ALPHA3.len(), 249);
        assert!(ALPHA3.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(["FRA", "USA", "ALA", "SSD", "ZWE"]
            .iter()
            .all(|c| is_alpha3(c)));
        assert!(!is_alpha3("XKX") && !is_alpha3("fra") && !is_alpha3("FR"));
    }

    #[test]
    fn codes_are_upper_cased_and_deduplicated_in_order() {
        assert_eq!(
            normalise(codes(&["ita", "FRA", " Ita ", "esp", "FRA"])),
            Ok(codes(&["ITA", "FRA", "ESP"]))
        );
        assert_eq!(normalise(Vec::new()), Ok(Vec::new()));
    }

    #[test]
    fn unknown_codes_are_all_named() {
        let message = normalise(codes(&["FRA", "FR", "XYZ"])).unwrap_err();
        assert_eq!(
            message,
            "must hold ISO 3166-1 alpha-3 country codes; unknown: \"FR\", \"XYZ\""
        );
    }

    #[test]
    fn at_most_fifty_distinct_countries() {
        let fifty: Vec<String> = ALPHA3[..50].iter().map(|c| c.to_string()).collect();
        assert_eq!(normalise(fifty.clone()).map(|c| c.len()), Ok(50));
        let mut repeated = fifty.clone();
        repeated.extend(fifty.clone());
        assert_eq!(normalise(repeated).map(|c| c.len()), Ok(50));
        let fifty_one: Vec<String> = ALPHA3[..51].iter().map(|c| c.to_string()).collect();
        assert_eq!(
            normalise(fifty_one),
            Err("must hold at most 50 countries".to_string())
        );
    }
}
