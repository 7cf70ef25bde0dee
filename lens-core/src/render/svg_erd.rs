//! An ER diagram as inline SVG, laid out by us (no Graphviz in the server): parents above
//! their children in layers (longest path, FK cycles broken in key order), each layer
//! ordered by barycenter sweeps to cut crossings, boxes with the key columns first, one
//! curve per FK with a bar at the parent and a crow's foot at the child (none when the FK
//! columns are unique: one to one), dashed when the FK is nullable. Every box links to the
//! table's section. The same tables give the same picture: all order comes from keys.
//! No ids inside, so many diagrams share a page.

use crate::ddl::{of, ByTable};
use crate::erd::Lookup;
use crate::html::Html;
use crate::model::Relationship;
use std::collections::{BTreeMap, HashMap};

const CHAR_W: f64 = 7.3;
const ROW_H: i64 = 16;
const HEAD_H: i64 = 22;
const MAX_ROWS: usize = 8;
const MIN_W: i64 = 120;
const MAX_W: i64 = 320;
const GAP_X: i64 = 32;
const GAP_Y: i64 = 72;
const MARGIN: i64 = 12;
/// Sweeps of barycenter ordering (down and up each).
const SWEEPS: usize = 4;
/// Boxes per row of the tables no drawn FK links.
const LOOSE_ROW: usize = 5;

struct Node<'a> {
    key: &'a str,
    title: String,
    rows: Vec<String>,
    w: i64,
    h: i64,
    x: i64,
    y: i64,
    self_fk: bool,
}

/// Text cut to fit `max` characters, with an ellipsis.
fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Draws the tables `keys` (sorted, distinct) and the FKs between them. `href` gives the
/// link of a table's box.
pub(crate) fn render(h: &mut Html, by: &ByTable, lookup: &Lookup, keys: &[&str], focus: Option<&str>, href: &dyn Fn(&str) -> Option<String>) {
    let max_chars = ((MAX_W - 16) as f64 / CHAR_W) as usize;
    let index: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let mut nodes: Vec<Node> = keys
        .iter()
        .map(|&key| {
            let columns = of(&by.columns, key);
            let mut marked: Vec<(String, String)> = Vec::new();
            let mut plain: Vec<(String, String)> = Vec::new();
            for c in columns {
                let marks = lookup.marks_of(key, &c.name, ",");
                let line = format!("{} {}", c.name, c.data_type);
                if marks.is_empty() {
                    plain.push((line, marks));
                } else {
                    marked.push((line, marks));
                }
            }
            let all: Vec<String> = marked.into_iter().chain(plain).map(|(l, m)| if m.is_empty() { l } else { format!("{l} {m}") }).collect();
            let mut rows: Vec<String> = all.iter().take(MAX_ROWS).map(|l| fit(l, max_chars)).collect();
            if all.len() > MAX_ROWS {
                rows.push(format!("+{} more", all.len() - MAX_ROWS));
            }
            let longest = rows.iter().map(|r| r.chars().count()).chain([key.chars().count().min(max_chars)]).max().unwrap_or(0);
            let w = ((longest as f64 * CHAR_W) as i64 + 16).clamp(MIN_W, MAX_W);
            let h = HEAD_H + ROW_H * rows.len() as i64 + 6;
            Node { key, title: fit(key, max_chars), rows, w, h, x: 0, y: 0, self_fk: false }
        })
        .collect();

    // FKs between drawn tables, by key; self-references are a mark on the box
    let mut rels: Vec<&Relationship> = Vec::new();
    for &key in keys {
        for r in of(&by.fks_out, key) {
            if let (Some(&c), Some(&p)) = (index.get(r.child_key.as_str()), index.get(r.parent_key.as_str())) {
                if c == p {
                    nodes[c].self_fk = true;
                } else {
                    rels.push(r);
                }
            }
        }
    }
    rels.sort_by(|a, b| a.key.cmp(&b.key));
    let edges: Vec<(usize, usize)> = rels.iter().map(|r| (index[r.child_key.as_str()], index[r.parent_key.as_str()])).collect();

    let mut layers = layer(nodes.len(), &edges);
    // tables no drawn FK touches go in rows of their own, last: they would only widen the others
    let mut linked = vec![false; nodes.len()];
    for &(c, p) in &edges {
        linked[c] = true;
        linked[p] = true;
    }
    let first = if linked.iter().any(|&l| l) { layers.iter().zip(&linked).filter(|(_, &l)| l).map(|(&x, _)| x).max().unwrap_or(0) + 1 } else { 0 };
    let mut placed = 0;
    for (n, l) in layers.iter_mut().enumerate() {
        if !linked[n] {
            // rows of a few boxes, not one row as wide as all of them
            *l = first + placed / LOOSE_ROW;
            placed += 1;
        }
    }
    let order = arrange(&layers, &edges, nodes.len());
    // coordinates: layers stacked, each centred on the widest
    let widths: Vec<i64> = order.iter().map(|l| l.iter().map(|&n| nodes[n].w).sum::<i64>() + GAP_X * (l.len() as i64 - 1).max(0)).collect();
    let width = widths.iter().copied().max().unwrap_or(0) + 2 * MARGIN;
    let mut y = MARGIN;
    for (l, members) in order.iter().enumerate() {
        let mut x = (width - widths[l]) / 2;
        let tallest = members.iter().map(|&n| nodes[n].h).max().unwrap_or(0);
        for &n in members {
            nodes[n].x = x;
            nodes[n].y = y;
            x += nodes[n].w + GAP_X;
        }
        y += tallest + GAP_Y;
    }
    let height = y - GAP_Y + MARGIN;

    h.raw("<div class=\"erd-wrap\"><svg class=\"erd\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"");
    h.attr("viewBox", &format!("0 0 {width} {height}")).attr("width", &width.to_string()).attr("height", &height.to_string());
    h.attr("aria-label", &format!("ER diagram of {} tables", nodes.len())).raw(">");
    // ports spread along the edges of each box
    let mut tops: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut bottoms: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (e, &(c, p)) in edges.iter().enumerate() {
        tops.entry(c).or_default().push(e);
        bottoms.entry(p).or_default().push(e);
    }
    let port = |n: &Node, list: &[usize], e: usize| -> i64 {
        let i = list.iter().position(|&x| x == e).unwrap_or(0) as i64;
        n.x + n.w * (i + 1) / (list.len() as i64 + 1)
    };
    for (e, (&(c, p), r)) in edges.iter().zip(&rels).enumerate() {
        let (child, parent) = (&nodes[c], &nodes[p]);
        // a child drawn above its parent (an FK cycle) links bottom to top the other way
        let (x1, y1, x2, y2) = if child.y > parent.y {
            (port(child, &tops[&c], e), child.y, port(parent, &bottoms[&p], e), parent.y + parent.h)
        } else {
            (port(child, &tops[&c], e), child.y + child.h, port(parent, &bottoms[&p], e), parent.y)
        };
        let card = lookup.cardinality(r);
        let bend = if y1 > y2 { -GAP_Y / 2 } else { GAP_Y / 2 };
        h.raw("<g class=\"fk").raw(if card.optional { " optional\">" } else { "\">" });
        h.raw("<title>").plain(&format!("{} → {} ({}), on delete {}", r.child_key, r.parent_key, r.name, r.on_delete)).raw("</title>");
        h.raw("<path").attr("d", &format!("M{x1} {y1} C{x1} {} {x2} {} {x2} {y2}", y1 + bend, y2 - bend)).raw("/>");
        // parent end: a bar across the line
        let by = if y1 > y2 { y2 + 6 } else { y2 - 6 };
        h.raw("<path class=\"mark\"").attr("d", &format!("M{} {by} H{}", x2 - 6, x2 + 6)).raw("/>");
        if !card.one_to_one {
            // child end: a crow's foot
            let fy = if y1 > y2 { y1 - 10 } else { y1 + 10 };
            h.raw("<path class=\"mark\"").attr("d", &format!("M{} {y1} L{x1} {fy} L{} {y1}", x1 - 7, x1 + 7)).raw("/>");
        }
        h.raw("</g>");
    }
    for n in &nodes {
        let link = href(n.key);
        if let Some(link) = &link {
            h.raw("<a").attr("href", link).raw(">");
        }
        h.raw("<g class=\"box").raw(if Some(n.key) == focus { " focus\">" } else { "\">" });
        h.raw("<title>").plain(n.key).raw("</title>");
        h.raw("<rect").attr("x", &n.x.to_string()).attr("y", &n.y.to_string()).attr("width", &n.w.to_string()).attr("height", &n.h.to_string()).raw(" rx=\"4\"/>");
        h.raw("<path class=\"rule\"").attr("d", &format!("M{} {} H{}", n.x, n.y + HEAD_H, n.x + n.w)).raw("/>");
        h.raw("<text class=\"head\"").attr("x", &(n.x + 8).to_string()).attr("y", &(n.y + 15).to_string()).raw(">");
        h.svg_text(&n.title);
        if n.self_fk {
            h.raw(" ↺");
        }
        h.raw("</text>");
        for (i, row) in n.rows.iter().enumerate() {
            h.raw("<text").attr("x", &(n.x + 8).to_string()).attr("y", &(n.y + HEAD_H + 13 + ROW_H * i as i64).to_string()).raw(">");
            h.svg_text(row).raw("</text>");
        }
        h.raw(if link.is_some() { "</g></a>" } else { "</g>" });
    }
    h.raw("</svg></div>");
}

/// Layer of each node: parents above children (longest path from the tables that reference
/// nothing drawn); an edge that closes a cycle (found by a depth-first walk in key order)
/// does not count.
fn layer(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(c, p) in edges {
        parents[c].push(p);
    }
    // 0 = not seen, 1 = on the walk's path, 2 = done
    let mut state = vec![0u8; n];
    let mut layer = vec![0usize; n];
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        // iterative DFS: (node, next parent to look at)
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some(top) = stack.last_mut() {
            let node = top.0;
            if let Some(&p) = parents[node].get(top.1) {
                top.1 += 1;
                if state[p] == 0 {
                    state[p] = 1;
                    stack.push((p, 0));
                }
            } else {
                state[node] = 2;
                layer[node] = parents[node].iter().filter(|&&p| state[p] == 2 && p != node).map(|&p| layer[p] + 1).max().unwrap_or(0);
                stack.pop();
            }
        }
    }
    layer
}

/// The nodes of each layer, ordered: first by key, then by the mean position of their
/// neighbours in the layer above (sweeping down) and below (sweeping up), ties by key.
fn arrange(layers: &[usize], edges: &[(usize, usize)], n: usize) -> Vec<Vec<usize>> {
    let count = layers.iter().copied().max().map_or(0, |m| m + 1);
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); count];
    for node in 0..n {
        order[layers[node]].push(node);
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(c, p) in edges {
        neighbours[c].push(p);
        neighbours[p].push(c);
    }
    let mut position = vec![0f64; n];
    let place = |order: &Vec<Vec<usize>>, position: &mut Vec<f64>| {
        for l in order {
            for (i, &node) in l.iter().enumerate() {
                position[node] = i as f64;
            }
        }
    };
    place(&order, &mut position);
    for sweep in 0..SWEEPS * 2 {
        let down = sweep % 2 == 0;
        let layers_in_turn: Vec<usize> = if down { (1..count).collect() } else { (0..count.saturating_sub(1)).rev().collect() };
        for l in layers_in_turn {
            let beside = if down { l - 1 } else { l + 1 };
            let mut keyed: Vec<(f64, usize)> = order[l]
                .iter()
                .map(|&node| {
                    let near: Vec<f64> = neighbours[node].iter().filter(|&&m| layers[m] == beside).map(|&m| position[m]).collect();
                    let centre = if near.is_empty() { position[node] } else { near.iter().sum::<f64>() / near.len() as f64 };
                    (centre, node)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            order[l] = keyed.into_iter().map(|(_, node)| node).collect();
            place(&order, &mut position);
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_sit_above_children_and_cycles_still_get_layers() {
        // 0 -> 1 -> 2 (child -> parent), 3 -> 2
        assert_eq!(layer(4, &[(0, 1), (1, 2), (3, 2)]), vec![2, 1, 0, 1]);
        // a cycle 0 -> 1 -> 0: one edge is dropped for layering, both get distinct layers
        let l = layer(2, &[(0, 1), (1, 0)]);
        assert_ne!(l[0], l[1]);
    }

    #[test]
    fn ordering_uncrosses_two_parallel_pairs() {
        // layer 0: parents 0, 1; layer 1: children 2 -> 1, 3 -> 0: key order crosses
        let layers = vec![0, 0, 1, 1];
        let order = arrange(&layers, &[(2, 1), (3, 0)], 4);
        assert_eq!(order[1], vec![3, 2]);
    }

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
    }
}
