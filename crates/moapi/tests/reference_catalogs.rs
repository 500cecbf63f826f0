//! The operation catalogs that decide "not implemented" versus 404 list exactly the
//! operations of the vendor references, and every built operation is one of them.

mod common;

use std::collections::BTreeSet;

use common::fidelity::{mogu_document, reference_dir};
use moapi_core::route_catalog::Operation;

type Entry = (String, String, String);

fn entries(operations: &[Operation]) -> BTreeSet<Entry> {
    operations
        .iter()
        .map(|op| {
            (
                op.method.to_string(),
                op.path.to_string(),
                op.operation_id.to_string(),
            )
        })
        .collect()
}

fn operations_of(document: &serde_json::Value) -> BTreeSet<Entry> {
    let mut found = BTreeSet::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if let Some(id) = operation["operationId"].as_str() {
                found.insert((method.to_uppercase(), path.clone(), id.to_string()));
            }
        }
    }
    found
}

fn moego_reference() -> BTreeSet<Entry> {
    let mut found = BTreeSet::new();
    let mut folders = vec![reference_dir().join("moego/openapi")];
    while let Some(folder) = folders.pop() {
        for entry in
            std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.to_string_lossy().ends_with(".swagger.json") {
                let document =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                found.extend(operations_of(&document));
            }
        }
    }
    found
}

#[test]
fn the_moego_catalog_is_the_vendor_swagger() {
    let reference = moego_reference();
    assert_eq!(reference.len(), 100);
    assert_eq!(entries(moapi_moego::reference::OPERATIONS), reference);
}

#[test]
fn the_mogu_catalog_is_the_reference() {
    assert_eq!(
        entries(moapi_mogu::reference::OPERATIONS),
        operations_of(&mogu_document())
    );
}

#[test]
fn every_built_operation_is_a_reference_operation() {
    for (document, catalog) in [
        (moapi_moego::openapi(), moapi_moego::reference::OPERATIONS),
        (moapi_mogu::openapi(), moapi_mogu::reference::OPERATIONS),
    ] {
        let built = operations_of(&serde_json::to_value(&document).unwrap());
        assert!(!built.is_empty());
        let catalog = entries(catalog);
        for operation in &built {
            assert!(
                catalog.contains(operation),
                "{operation:?} is not in the reference"
            );
        }
    }
}
