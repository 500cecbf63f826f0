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

/// Country names as documents write them, each with its alpha-3 code: the English names of
/// the ISO list (Debian iso-codes: the short and common names, a qualifier after a comma
/// dropped), usual English alternatives (UK, Holland, Ivory Coast...) and Spanish names of
/// frequent destinations. Used to recognise destinations in imported itineraries.
pub const NAMES: &[(&str, &str)] = &[
    ("Afghanistan", "AFG"),
    ("Albania", "ALB"),
    ("Alemania", "DEU"),
    ("Algeria", "DZA"),
    ("American Samoa", "ASM"),
    ("Andorra", "AND"),
    ("Angola", "AGO"),
    ("Anguilla", "AIA"),
    ("Antarctica", "ATA"),
    ("Antigua and Barbuda", "ATG"),
    ("Argentina", "ARG"),
    ("Armenia", "ARM"),
    ("Aruba", "ABW"),
    ("Australia", "AUS"),
    ("Austria", "AUT"),
    ("Azerbaijan", "AZE"),
    ("Bahamas", "BHS"),
    ("Bahrain", "BHR"),
    ("Bangladesh", "BGD"),
    ("Barbados", "BRB"),
    ("Belarus", "BLR"),
    ("Belgium", "BEL"),
    ("Belize", "BLZ"),
    ("Benin", "BEN"),
    ("Bermuda", "BMU"),
    ("Bhutan", "BTN"),
    ("Bolivia", "BOL"),
    ("Bonaire", "BES"),
    ("Bosnia and Herzegovina", "BIH"),
    ("Botswana", "BWA"),
    ("Bouvet Island", "BVT"),
    ("Brasil", "BRA"),
    ("Brazil", "BRA"),
    ("Britain", "GBR"),
    ("British Indian Ocean Territory", "IOT"),
    ("Brunei", "BRN"),
    ("Brunei Darussalam", "BRN"),
    ("Bulgaria", "BGR"),
    ("Burkina Faso", "BFA"),
    ("Burma", "MMR"),
    ("Burundi", "BDI"),
    ("Cabo Verde", "CPV"),
    ("Cambodia", "KHM"),
    ("Cameroon", "CMR"),
    ("Canada", "CAN"),
    ("Cape Verde", "CPV"),
    ("Cayman Islands", "CYM"),
    ("Central African Republic", "CAF"),
    ("Chad", "TCD"),
    ("Chile", "CHL"),
    ("China", "CHN"),
    ("Christmas Island", "CXR"),
    ("Cocos (Keeling) Islands", "CCK"),
    ("Cocos Islands", "CCK"),
    ("Colombia", "COL"),
    ("Comoros", "COM"),
    ("Congo", "COD"),
    ("Cook Islands", "COK"),
    ("Costa Rica", "CRI"),
    ("Croacia", "HRV"),
    ("Croatia", "HRV"),
    ("Cuba", "CUB"),
    ("Curacao", "CUW"),
    ("Curaçao", "CUW"),
    ("Cyprus", "CYP"),
    ("Czech Republic", "CZE"),
    ("Czechia", "CZE"),
    ("Côte d'Ivoire", "CIV"),
    ("Democratic Republic of the Congo", "COD"),
    ("Denmark", "DNK"),
    ("Deutschland", "DEU"),
    ("Djibouti", "DJI"),
    ("Dominica", "DMA"),
    ("Dominican Republic", "DOM"),
    ("DR Congo", "COD"),
    ("East Timor", "TLS"),
    ("Ecuador", "ECU"),
    ("Egipto", "EGY"),
    ("Egypt", "EGY"),
    ("El Salvador", "SLV"),
    ("Emirates", "ARE"),
    ("England", "GBR"),
    ("Equatorial Guinea", "GNQ"),
    ("Eritrea", "ERI"),
    ("Escocia", "GBR"),
    ("España", "ESP"),
    ("Estados Unidos", "USA"),
    ("Estonia", "EST"),
    ("Eswatini", "SWZ"),
    ("Ethiopia", "ETH"),
    ("Falkland Islands", "FLK"),
    ("Falkland Islands (Malvinas)", "FLK"),
    ("Faroe Islands", "FRO"),
    ("Fiji", "FJI"),
    ("Finland", "FIN"),
    ("France", "FRA"),
    ("Francia", "FRA"),
    ("French Guiana", "GUF"),
    ("French Polynesia", "PYF"),
    ("French Southern Territories", "ATF"),
    ("Gabon", "GAB"),
    ("Gambia", "GMB"),
    ("Georgia", "GEO"),
    ("Germany", "DEU"),
    ("Ghana", "GHA"),
    ("Gibraltar", "GIB"),
    ("Great Britain", "GBR"),
    ("Grecia", "GRC"),
    ("Greece", "GRC"),
    ("Greenland", "GRL"),
    ("Grenada", "GRD"),
    ("Guadeloupe", "GLP"),
    ("Guam", "GUM"),
    ("Guatemala", "GTM"),
    ("Guernsey", "GGY"),
    ("Guinea", "GIN"),
    ("Guinea-Bissau", "GNB"),
    ("Guyana", "GUY"),
    ("Haiti", "HTI"),
    ("Heard Island and McDonald Islands", "HMD"),
    ("Holland", "NLD"),
    ("Holy See", "VAT"),
    ("Holy See (Vatican City State)", "VAT"),
    ("Honduras", "HND"),
    ("Hong Kong", "HKG"),
    ("Hungary", "HUN"),
    ("Iceland", "ISL"),
    ("India", "IND"),
    ("Indonesia", "IDN"),
    ("Inglaterra", "GBR"),
    ("Iran", "IRN"),
    ("Iraq", "IRQ"),
    ("Ireland", "IRL"),
    ("Irlanda", "IRL"),
    ("Islandia", "ISL"),
    ("Isle of Man", "IMN"),
    ("Israel", "ISR"),
    ("Italia", "ITA"),
    ("Italy", "ITA"),
    ("Ivory Coast", "CIV"),
    ("Jamaica", "JAM"),
    ("Japan", "JPN"),
    ("Japón", "JPN"),
    ("Jersey", "JEY"),
    ("Jordan", "JOR"),
    ("Kazakhstan", "KAZ"),
    ("Kenya", "KEN"),
    ("Kiribati", "KIR"),
    ("Korea", "KOR"),
    ("Kuwait", "KWT"),
    ("Kyrgyzstan", "KGZ"),
    ("Lao People's Democratic Republic", "LAO"),
    ("Laos", "LAO"),
    ("Latvia", "LVA"),
    ("Lebanon", "LBN"),
    ("Lesotho", "LSO"),
    ("Liberia", "LBR"),
    ("Libya", "LBY"),
    ("Liechtenstein", "LIE"),
    ("Lithuania", "LTU"),
    ("Luxembourg", "LUX"),
    ("Macao", "MAC"),
    ("Macedonia", "MKD"),
    ("Madagascar", "MDG"),
    ("Malawi", "MWI"),
    ("Malaysia", "MYS"),
    ("Maldives", "MDV"),
    ("Mali", "MLI"),
    ("Malta", "MLT"),
    ("Marruecos", "MAR"),
    ("Marshall Islands", "MHL"),
    ("Martinique", "MTQ"),
    ("Mauritania", "MRT"),
    ("Mauritius", "MUS"),
    ("Mayotte", "MYT"),
    ("Mexico", "MEX"),
    ("Micronesia", "FSM"),
    ("Moldova", "MDA"),
    ("Monaco", "MCO"),
    ("Mongolia", "MNG"),
    ("Montenegro", "MNE"),
    ("Montserrat", "MSR"),
    ("Morocco", "MAR"),
    ("Mozambique", "MOZ"),
    ("Myanmar", "MMR"),
    ("México", "MEX"),
    ("Namibia", "NAM"),
    ("Nauru", "NRU"),
    ("Nepal", "NPL"),
    ("Netherlands", "NLD"),
    ("New Caledonia", "NCL"),
    ("New Zealand", "NZL"),
    ("Nicaragua", "NIC"),
    ("Niger", "NER"),
    ("Nigeria", "NGA"),
    ("Niue", "NIU"),
    ("Norfolk Island", "NFK"),
    ("North Korea", "PRK"),
    ("North Macedonia", "MKD"),
    ("Northern Ireland", "GBR"),
    ("Northern Mariana Islands", "MNP"),
    ("Noruega", "NOR"),
    ("Norway", "NOR"),
    ("Oman", "OMN"),
    ("Pakistan", "PAK"),
    ("Palau", "PLW"),
    ("Palestine", "PSE"),
    ("Panama", "PAN"),
    ("Papua New Guinea", "PNG"),
    ("Paraguay", "PRY"),
    ("Países Bajos", "NLD"),
    ("Peru", "PER"),
    ("Perú", "PER"),
    ("Philippines", "PHL"),
    ("Pitcairn", "PCN"),
    ("Poland", "POL"),
    ("Portugal", "PRT"),
    ("Puerto Rico", "PRI"),
    ("Qatar", "QAT"),
    ("Reino Unido", "GBR"),
    ("Reunion", "REU"),
    ("Romania", "ROU"),
    ("Russia", "RUS"),
    ("Russian Federation", "RUS"),
    ("Rwanda", "RWA"),
    ("Réunion", "REU"),
    ("Saint Barthélemy", "BLM"),
    ("Saint Helena", "SHN"),
    ("Saint Kitts and Nevis", "KNA"),
    ("Saint Lucia", "LCA"),
    ("Saint Martin", "MAF"),
    ("Saint Martin (French part)", "MAF"),
    ("Saint Pierre and Miquelon", "SPM"),
    ("Saint Vincent and the Grenadines", "VCT"),
    ("Samoa", "WSM"),
    ("San Marino", "SMR"),
    ("Sao Tome and Principe", "STP"),
    ("Saudi Arabia", "SAU"),
    ("Scotland", "GBR"),
    ("Senegal", "SEN"),
    ("Serbia", "SRB"),
    ("Seychelles", "SYC"),
    ("Sierra Leone", "SLE"),
    ("Singapore", "SGP"),
    ("Sint Maarten", "SXM"),
    ("Sint Maarten (Dutch part)", "SXM"),
    ("Slovakia", "SVK"),
    ("Slovenia", "SVN"),
    ("Solomon Islands", "SLB"),
    ("Somalia", "SOM"),
    ("South Africa", "ZAF"),
    ("South Georgia and the South Sandwich Islands", "SGS"),
    ("South Korea", "KOR"),
    ("South Sudan", "SSD"),
    ("Spain", "ESP"),
    ("Sri Lanka", "LKA"),
    ("Sudan", "SDN"),
    ("Suecia", "SWE"),
    ("Suiza", "CHE"),
    ("Suriname", "SUR"),
    ("Svalbard and Jan Mayen", "SJM"),
    ("Swaziland", "SWZ"),
    ("Sweden", "SWE"),
    ("Switzerland", "CHE"),
    ("Syria", "SYR"),
    ("Syrian Arab Republic", "SYR"),
    ("Tailandia", "THA"),
    ("Taiwan", "TWN"),
    ("Tajikistan", "TJK"),
    ("Tanzania", "TZA"),
    ("Thailand", "THA"),
    ("The Bahamas", "BHS"),
    ("The Gambia", "GMB"),
    ("The Netherlands", "NLD"),
    ("Timor-Leste", "TLS"),
    ("Togo", "TGO"),
    ("Tokelau", "TKL"),
    ("Tonga", "TON"),
    ("Trinidad and Tobago", "TTO"),
    ("Tunisia", "TUN"),
    ("Turkey", "TUR"),
    ("Turkmenistan", "TKM"),
    ("Turks and Caicos Islands", "TCA"),
    ("Turquía", "TUR"),
    ("Tuvalu", "TUV"),
    ("Türkiye", "TUR"),
    ("U.S.A.", "USA"),
    ("UAE", "ARE"),
    ("Uganda", "UGA"),
    ("UK", "GBR"),
    ("Ukraine", "UKR"),
    ("United Arab Emirates", "ARE"),
    ("United Kingdom", "GBR"),
    ("United States", "USA"),
    ("United States Minor Outlying Islands", "UMI"),
    ("United States of America", "USA"),
    ("Uruguay", "URY"),
    ("USA", "USA"),
    ("Uzbekistan", "UZB"),
    ("Vanuatu", "VUT"),
    ("Vatican", "VAT"),
    ("Vatican City", "VAT"),
    ("Venezuela", "VEN"),
    ("Viet Nam", "VNM"),
    ("Vietnam", "VNM"),
    ("Wales", "GBR"),
    ("Wallis and Futuna", "WLF"),
    ("Western Sahara", "ESH"),
    ("Yemen", "YEM"),
    ("Zambia", "ZMB"),
    ("Zimbabwe", "ZWE"),
    ("Åland Islands", "ALA"),
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
    fn every_name_maps_to_an_assigned_code_once() {
        assert!(NAMES.iter().all(|(_, code)| is_alpha3(code)));
        let mut lower: Vec<String> = NAMES.iter().map(|(name, _)| name.to_lowercase()).collect();
        lower.sort();
        lower.dedup();
        assert_eq!(lower.len(), NAMES.len());
        let france = NAMES.iter().find(|(name, _)| *name == "France");
        assert_eq!(france, Some(&("France", "FRA")));
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
