//! Bulk loading of a GeoPackage spatial index: SQLite's R*Tree filled in one pass instead of
//! one `INSERT` per feature.
//!
//! An R*Tree virtual table keeps its tree in three ordinary tables (SQLite's `rtree.c`
//! documents the format): `<name>_node` holds each node as a blob, `<name>_rowid` maps each
//! entry to its leaf and `<name>_parent` each node but the root to its parent. Inserting
//! features one by one re-chooses a leaf and splits nodes per entry; here the whole tree is
//! packed at once with the Sort-Tile-Recursive method (Leutenegger, Lopez & Edgington, 1997)
//! and its nodes written straight into those tables, as GDAL's GeoPackage driver does for
//! large layers. The tree is balanced (every leaf at the same depth), every node but the last
//! of a slice is full, and SQLite's `rtreecheck()` accepts it.
//!
//! Node format (`rtree.c`): every node is a blob of the root's length; bytes 0–1 hold the
//! tree's depth (root only), bytes 2–3 the number of cells, then cells of an 8-byte id (the
//! feature's id in a leaf, a child node's number above) and four 4-byte floats (min x, max x,
//! min y, max y), all big-endian. Coordinates are single precision, rounded outwards so each
//! box still contains its feature.

use rusqlite::{Connection, params};

/// A feature's bounding box as the index stores it: `[min_x, max_x, min_y, max_y]`, rounded
/// outwards to single precision.
pub(crate) type Box32 = [f32; 4];

/// `[min_x, max_x, min_y, max_y]` in double precision, rounded outwards to single precision.
pub(crate) fn outward(e: [f64; 4]) -> Box32 {
    let down = |v: f64| {
        let f = v as f32;
        if f64::from(f) > v { f.next_down() } else { f }
    };
    let up = |v: f64| {
        let f = v as f32;
        if f64::from(f) < v { f.next_up() } else { f }
    };
    [down(e[0]), up(e[1]), down(e[2]), up(e[3])]
}

fn union(a: Box32, b: Box32) -> Box32 {
    [
        a[0].min(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].max(b[3]),
    ]
}

/// One packed node: its number, its height (0 for a leaf, whose cells are features) and its
/// cells (a feature's or a child node's id, and its box).
#[derive(Debug, PartialEq)]
pub(crate) struct Node {
    pub number: i64,
    pub height: u16,
    pub cells: Vec<(i64, Box32)>,
}

/// The packed tree: nodes from the leaves up, the root last (number 1), and its depth (0 when
/// the root is the only node).
#[derive(Debug, PartialEq)]
pub(crate) struct Packed {
    pub nodes: Vec<Node>,
    pub depth: u16,
}

/// Packs `entries` (feature id, box) into nodes of at most `capacity` cells with
/// Sort-Tile-Recursive: sorted by the boxes' centres along x, cut into vertical slices of
/// `ceil(sqrt(nodes))` nodes each, each slice sorted along y and cut into nodes; then the
/// same for the nodes' boxes, level by level, until one node (the root) remains.
/// Deterministic: ties in a centre are broken by id.
pub(crate) fn pack(mut entries: Vec<(i64, Box32)>, capacity: usize) -> Packed {
    assert!(capacity >= 2, "an R-tree node holds at least two cells");
    let mut nodes = Vec::new();
    let mut depth = 0u16;
    let mut next_number = 2i64;
    while entries.len() > capacity {
        let per_slice = {
            let n_nodes = entries.len().div_ceil(capacity);
            (n_nodes as f64).sqrt().ceil() as usize * capacity
        };
        let centre = |b: &Box32, axis: usize| f64::from(b[2 * axis]) + f64::from(b[2 * axis + 1]);
        entries.sort_unstable_by(|a, b| {
            centre(&a.1, 0)
                .total_cmp(&centre(&b.1, 0))
                .then(a.0.cmp(&b.0))
        });
        let mut parents = Vec::with_capacity(entries.len().div_ceil(capacity));
        for slice in entries.chunks_mut(per_slice) {
            slice.sort_unstable_by(|a, b| {
                centre(&a.1, 1)
                    .total_cmp(&centre(&b.1, 1))
                    .then(a.0.cmp(&b.0))
            });
            for cells in slice.chunks(capacity) {
                let number = next_number;
                next_number += 1;
                let bbox = cells
                    .iter()
                    .map(|c| c.1)
                    .reduce(union)
                    .expect("a node has cells");
                nodes.push(Node {
                    number,
                    height: depth,
                    cells: cells.to_vec(),
                });
                parents.push((number, bbox));
            }
        }
        entries = parents;
        depth += 1;
    }
    nodes.push(Node {
        number: 1,
        height: depth,
        cells: entries,
    });
    Packed { nodes, depth }
}

/// The blob of one node, `size` bytes long.
pub(crate) fn node_blob(node: &Node, depth: u16, size: usize) -> Vec<u8> {
    let mut blob = Vec::with_capacity(size);
    blob.extend_from_slice(&(if node.number == 1 { depth } else { 0 }).to_be_bytes());
    blob.extend_from_slice(&(node.cells.len() as u16).to_be_bytes());
    for (id, b) in &node.cells {
        blob.extend_from_slice(&id.to_be_bytes());
        for c in b {
            blob.extend_from_slice(&c.to_bits().to_be_bytes());
        }
    }
    assert!(blob.len() <= size, "node larger than the index's node size");
    blob.resize(size, 0);
    blob
}

/// Bytes per cell of a two-dimensional index: the id and four coordinates.
const CELL_BYTES: usize = 8 + 4 * 4;

/// Fills the empty two-dimensional R*Tree `name` (just created with `CREATE VIRTUAL TABLE
/// name USING rtree(id, minx, maxx, miny, maxy)`) with `entries` in one pass.
pub(crate) fn bulk_load(
    db: &Connection,
    name: &str,
    entries: Vec<(i64, Box32)>,
) -> rusqlite::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let table = |suffix: &str| super::quoted(&format!("{name}_{suffix}"));
    // The node size SQLite chose when the table was created (from the page size); every node
    // must have the root's length.
    let size: usize = db.query_row(
        &format!(
            "SELECT length(data) FROM {} WHERE nodeno = 1",
            table("node")
        ),
        [],
        |r| r.get(0),
    )?;
    let capacity = (size - 4) / CELL_BYTES;
    let packed = pack(entries, capacity);
    db.execute(&format!("DELETE FROM {}", table("node")), [])?;
    let mut node = db.prepare(&format!("INSERT INTO {} VALUES (?1, ?2)", table("node")))?;
    let mut parent = db.prepare(&format!("INSERT INTO {} VALUES (?1, ?2)", table("parent")))?;
    let mut leaf_of = Vec::new();
    for n in &packed.nodes {
        node.execute(params![n.number, node_blob(n, packed.depth, size)])?;
        for (id, _) in &n.cells {
            if n.height == 0 {
                leaf_of.push((*id, n.number));
            } else {
                parent.execute(params![id, n.number])?;
            }
        }
    }
    // Ids in ascending order: the rowid table's B-tree is then appended to, not split.
    leaf_of.sort_unstable();
    let mut rowid = db.prepare(&format!("INSERT INTO {} VALUES (?1, ?2)", table("rowid")))?;
    for (id, number) in leaf_of {
        rowid.execute(params![id, number])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(id: i64, x: f32, y: f32) -> (i64, Box32) {
        (id, [x, x, y, y])
    }

    #[test]
    fn outward_rounding_contains_the_double_precision_box() {
        // 0.1 is not a float: its nearest float lies above it, so the minimum goes one down.
        let b = outward([0.1, 0.1, -0.1, -0.1]);
        assert_eq!(b[0], 0.1f32.next_down());
        assert_eq!(b[1], 0.1f32);
        assert_eq!(b[2], -0.1f32);
        assert_eq!(b[3], (-0.1f32).next_up());
        assert!(f64::from(b[0]) <= 0.1 && f64::from(b[1]) >= 0.1);
        assert!(f64::from(b[2]) <= -0.1 && f64::from(b[3]) >= -0.1);
        // A float stays as it is.
        assert_eq!(outward([0.5, 1.5, -2.0, 3.0]), [0.5, 1.5, -2.0, 3.0]);
    }

    #[test]
    fn a_few_entries_make_a_root_leaf_in_rtree_c_s_format() {
        let packed = pack(vec![point(7, 1.0, 2.0), point(3, 0.0, 0.0)], 4);
        assert_eq!(packed.depth, 0);
        assert_eq!(packed.nodes.len(), 1);
        let blob = node_blob(&packed.nodes[0], packed.depth, 4 + 4 * CELL_BYTES);
        assert_eq!(blob.len(), 100);
        // Depth 0, two cells; the first cell: id 7 then 1.0, 1.0, 2.0, 2.0 (IEEE single,
        // big-endian: 1.0 = 3F800000, 2.0 = 40000000).
        assert_eq!(&blob[..4], &[0, 0, 0, 2]);
        assert_eq!(&blob[4..12], &[0, 0, 0, 0, 0, 0, 0, 7]);
        assert_eq!(
            &blob[12..28],
            &[
                0x3F, 0x80, 0, 0, 0x3F, 0x80, 0, 0, 0x40, 0, 0, 0, 0x40, 0, 0, 0
            ]
        );
        assert_eq!(&blob[28..36], &[0, 0, 0, 0, 0, 0, 0, 3]);
        assert!(blob[52..].iter().all(|&b| b == 0), "the rest is zero");
    }

    #[test]
    fn ten_points_on_a_line_pack_as_worked_by_hand() {
        // Ten points at x = 0..9, three cells a node: four leaves, ceil(sqrt(4)) = 2 leaves
        // a slice, so slices of six points: [0 1 2] [3 4 5] | [6 7 8] [9]. Their four boxes
        // are more than three: two nodes, one slice of six: [leaf 2, 3, 4] [leaf 5]. The root
        // holds those two: depth 2.
        let packed = pack((0..10).map(|i| point(i, i as f32, 0.0)).collect(), 3);
        assert_eq!(packed.depth, 2);
        let shape: Vec<(i64, u16, Vec<i64>)> = packed
            .nodes
            .iter()
            .map(|n| (n.number, n.height, n.cells.iter().map(|c| c.0).collect()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (2, 0, vec![0, 1, 2]),
                (3, 0, vec![3, 4, 5]),
                (4, 0, vec![6, 7, 8]),
                (5, 0, vec![9]),
                (6, 1, vec![2, 3, 4]),
                (7, 1, vec![5]),
                (1, 2, vec![6, 7]),
            ]
        );
        // A parent's box is the union of its children's.
        let root = packed.nodes.last().unwrap();
        assert_eq!(root.cells[0].1, [0.0, 8.0, 0.0, 0.0]);
        assert_eq!(root.cells[1].1, [9.0, 9.0, 0.0, 0.0]);
    }

    /// A deterministic scatter of boxes (a linear congruential generator; no crate needed).
    fn scatter(n: usize) -> Vec<(i64, [f64; 4])> {
        let mut s = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n)
            .map(|i| {
                let (x, y) = (95.0 + 46.0 * next(), -11.0 + 17.0 * next());
                let (w, h) = (0.05 * next(), 0.05 * next());
                (i as i64 + 1, [x, x + w, y, y + h])
            })
            .collect()
    }

    fn ids(db: &Connection, sql: &str, window: [f64; 4]) -> Vec<i64> {
        let mut stmt = db.prepare(sql).unwrap();
        let mut v: Vec<i64> = stmt
            .query_map(params![window[0], window[1], window[2], window[3]], |r| {
                r.get(0)
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn sqlite_accepts_and_queries_the_bulk_loaded_tree_as_one_built_by_inserts() {
        let boxes = scatter(5_000);
        let db = Connection::open_in_memory().unwrap();
        db.execute_batch(
            "PRAGMA page_size = 65536; \
             CREATE VIRTUAL TABLE bulk USING rtree(id, minx, maxx, miny, maxy); \
             CREATE VIRTUAL TABLE one_by_one USING rtree(id, minx, maxx, miny, maxy);",
        )
        .unwrap();
        bulk_load(
            &db,
            "bulk",
            boxes.iter().map(|(id, b)| (*id, outward(*b))).collect(),
        )
        .unwrap();
        for (id, b) in &boxes {
            db.execute(
                "INSERT INTO one_by_one VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, b[0], b[1], b[2], b[3]],
            )
            .unwrap();
        }
        let check = |name: &str| -> String {
            db.query_row(&format!("SELECT rtreecheck('{name}')"), [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(check("bulk"), "ok");
        // SQLite's own search finds what its own inserts find, window by window.
        let query = |t: &str| {
            format!(
                "SELECT id FROM {t} WHERE minx <= ?2 AND maxx >= ?1 AND miny <= ?4 AND maxy >= ?3"
            )
        };
        let windows = scatter(200);
        let mut found = 0;
        for (_, w) in &windows {
            let w = [w[0], w[0] + 0.5, w[2], w[2] + 0.5];
            let got = ids(&db, &query("bulk"), w);
            assert_eq!(got, ids(&db, &query("one_by_one"), w), "window {w:?}");
            found += got.len();
        }
        assert!(found > 300, "the windows find features ({found})");
        // The tree stays SQLite's to change: an edit in QGIS inserts and deletes through it.
        db.execute("INSERT INTO bulk VALUES (9999999, 100, 101, 0, 1)", [])
            .unwrap();
        db.execute("DELETE FROM bulk WHERE id <= 2500", []).unwrap();
        assert_eq!(check("bulk"), "ok");
        let n: i64 = db
            .query_row("SELECT count(*) FROM bulk", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2_501);
    }
}
