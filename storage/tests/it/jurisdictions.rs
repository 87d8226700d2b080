use vigie_rules::JurisdictionLevel::{Local, National};
use vigie_rules::Region::{AfricaMiddleEast, Europe};
use vigie_storage::StorageError;

use crate::support::{TestDb, code, jurisdiction};

pub async fn upserting_jurisdictions_counts_only_additions_and_changes(db: TestDb) {
    let mut items = vec![
        jurisdiction("KE", "Kenya", National, AfricaMiddleEast),
        jurisdiction("KE-30", "Nairobi", Local, AfricaMiddleEast),
        jurisdiction("NL", "Netherlands", National, Europe),
    ];
    assert_eq!(db.store.upsert_jurisdictions(&items).await.unwrap(), 3);
    assert_eq!(db.store.upsert_jurisdictions(&items).await.unwrap(), 0);
    items[2].name = "Kingdom of the Netherlands".to_owned();
    items.push(jurisdiction("ES-madrid", "Madrid", Local, Europe));
    assert_eq!(db.store.upsert_jurisdictions(&items).await.unwrap(), 2);
    let nl = db.store.jurisdiction(&code("NL")).await.unwrap().unwrap();
    assert_eq!(nl.name, "Kingdom of the Netherlands");
    // Jurisdictions absent from a later upsert stay.
    assert_eq!(db.store.upsert_jurisdictions(&items[..1]).await.unwrap(), 0);
    assert_eq!(db.store.jurisdictions().await.unwrap().len(), 4);
}

pub async fn jurisdictions_are_found_by_code_and_listed_by_code(db: TestDb) {
    let items = vec![
        jurisdiction("NL", "Netherlands", National, Europe),
        jurisdiction("ES-madrid", "Madrid", Local, Europe),
        jurisdiction("ES-MD", "Comunidad de Madrid", Local, Europe),
        jurisdiction("ES", "Spain", National, Europe),
    ];
    db.store.upsert_jurisdictions(&items).await.unwrap();
    let codes: Vec<String> = db
        .store
        .jurisdictions()
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.code.to_string())
        .collect();
    // Byte order on both backends: upper-case ISO codes before lower-case local slugs.
    assert_eq!(codes, ["ES", "ES-MD", "ES-madrid", "NL"]);
    assert_eq!(
        db.store.jurisdiction(&code("ES-madrid")).await.unwrap(),
        Some(items[1].clone())
    );
    assert_eq!(db.store.jurisdiction(&code("FR")).await.unwrap(), None);
}

pub async fn duplicate_jurisdiction_codes_write_nothing(db: TestDb) {
    let items = vec![
        jurisdiction("KE", "Kenya", National, AfricaMiddleEast),
        jurisdiction("ke", "Kenya again", National, AfricaMiddleEast),
    ];
    let err = db.store.upsert_jurisdictions(&items).await.unwrap_err();
    assert!(
        matches!(err, StorageError::DuplicateJurisdiction { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("KE"), "{err}");
    assert!(db.store.jurisdictions().await.unwrap().is_empty());
}
