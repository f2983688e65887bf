//! The YAML reader: values files, `fromYaml`, `fromYamlArray`, documents.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(s) = std::str::from_utf8(data) else {
            return;
        };
        let s = s.to_string();
        pchart_fuzz::big_stack(move || {
            let _ = pchart::yaml::parse_values(&s);
            let _ = pchart::yaml::parse_values_located(&s);
            let _ = pchart::yaml::parse_array(&s);
            let _ = pchart::yaml::parse_document_list(&s);
            if let Ok(v) = pchart::yaml::parse_any(&s) {
                let _ = pchart::yaml::to_yaml(&v);
                let _ = pchart::yaml::to_json(&v);
            }
        });
    });
}
