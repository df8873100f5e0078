//! Real village boundaries of Banten (../shared/data, BIG field names): clockwise rings,
//! slivers between neighbours, MultiPolygon islands. Checks that rawan reads all 1,552 and
//! that its contiguity bridges the slivers.

mod common;
use common::*;
use rawan_core::RejectLog;
use rawan_core::settings::Contiguity;
use rawan_spatial::{ContiguityOptions, contiguity_weights};
use std::collections::BTreeMap;

fn banten() -> Vec<rawan_core::Village> {
    let mapping: BTreeMap<String, String> =
        [("kode_desa", "KDEPUM"), ("desa", "WADMKD"), ("kecamatan", "WADMKC"), ("kabupaten", "WADMKK"), ("provinsi", "WADMPR")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    let mut log = RejectLog::default();
    let (villages, tally) = rawan_ingest::villages::read_villages(&shared_data().join("banten_desa.geojson"), &mapping, &mut log).unwrap();
    assert_eq!((tally.read, tally.used, tally.rejected), (1552, 1552, 0), "{:?}", log.rejects);
    villages
}

#[test]
fn all_banten_villages_read_and_the_tolerance_bridges_slivers() {
    let v = banten();
    assert_eq!(v.iter().filter(|x| x.kode_desa.is_kelurahan()).count(), 314);
    assert_eq!(v.iter().filter(|x| x.geometry.0.len() > 1).count(), 48);
    let g: Vec<_> = v.iter().map(|x| x.geometry.clone()).collect();
    let exact = contiguity_weights(&g, ContiguityOptions { kind: Contiguity::Queen, snap_tolerance_m: 0.0, island_neighbours: 0 });
    let snapped = contiguity_weights(&g, ContiguityOptions { kind: Contiguity::Queen, snap_tolerance_m: 25.0, island_neighbours: 0 });
    let rook = contiguity_weights(&g, ContiguityOptions { kind: Contiguity::Rook, snap_tolerance_m: 25.0, island_neighbours: 0 });
    // Slivers: the tolerance finds neighbours that exact vertex contact misses, and keeps
    // every exact neighbour.
    assert!(snapped.mean_cardinality() > exact.mean_cardinality(), "{} vs {}", snapped.mean_cardinality(), exact.mean_cardinality());
    for i in 0..g.len() {
        for j in exact.neighbours(i) {
            assert!(snapped.neighbours(i).contains(j));
        }
        for j in rook.neighbours(i) {
            assert!(snapped.neighbours(i).contains(j), "rook ⊆ queen");
        }
    }
    // Plausible planar graph: mean around 5–7 neighbours, few villages alone.
    assert!((4.5..8.0).contains(&snapped.mean_cardinality()), "{}", snapped.mean_cardinality());
    assert!(snapped.islands().len() < 30, "{}", snapped.islands().len());
    let linked = contiguity_weights(&g, ContiguityOptions { kind: Contiguity::Queen, snap_tolerance_m: 25.0, island_neighbours: 2 });
    assert!(linked.islands().is_empty());
}
