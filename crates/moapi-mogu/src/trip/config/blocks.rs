//! The block tree's rules: ids unique, `parent` and `children` agreeing both ways, only
//! container types holding children, no cycles, bounded size and depth. Checks run in three
//! stages (each block alone, then the links between blocks, then the shape of the whole), and
//! a stage runs only when the one before found nothing, so every message names one real
//! mistake instead of its echoes. Errors are keyed `blocks[i]`, the offending block's index.

use std::collections::{HashMap, HashSet};

use moapi_core::error::MoguValidation;

use super::wire::{Block, CONTAINER_TYPES};

/// Most blocks one config may hold.
pub const MAX_BLOCKS: usize = 2000;
/// Deepest nesting: a top-level block is at depth 1.
pub const MAX_DEPTH: usize = 32;
const MAX_ID_CHARS: usize = 128;
const MAX_TYPE_CHARS: usize = 64;

fn key(index: usize) -> String {
    format!("blocks[{index}]")
}

/// Adds every problem of `blocks` to `errors`.
pub fn check(blocks: &[Block], errors: &mut MoguValidation) {
    if !check_count(blocks.len(), errors) {
        return;
    }
    let mut stage = Stage::default();
    let Some(index_of) = check_each(blocks, &mut stage) else {
        return stage.finish(errors);
    };
    check_links(blocks, &index_of, &mut stage);
    if stage.failed {
        return stage.finish(errors);
    }
    check_shape(blocks, &index_of, &mut stage);
    stage.finish(errors);
}

/// Whether `count` blocks are allowed; adds the error when they are not.
pub fn check_count(count: usize, errors: &mut MoguValidation) -> bool {
    if count > MAX_BLOCKS {
        errors.add(
            "blocks",
            format!("at most {MAX_BLOCKS} blocks are allowed; got {count}"),
        );
    }
    count <= MAX_BLOCKS
}

/// The messages of one stage, so that a stage can tell whether it found anything.
#[derive(Default)]
struct Stage {
    failed: bool,
    messages: Vec<(String, String)>,
}

impl Stage {
    fn add(&mut self, index: usize, message: String) {
        self.failed = true;
        self.messages.push((key(index), message));
    }

    fn finish(self, errors: &mut MoguValidation) {
        for (field, message) in self.messages {
            errors.add(field, message);
        }
    }
}

/// Each block alone: a usable id and type, and no id seen before. Returns each id's index
/// when every block passed.
fn check_each<'a>(blocks: &'a [Block], stage: &mut Stage) -> Option<HashMap<&'a str, usize>> {
    let mut index_of: HashMap<&str, usize> = HashMap::with_capacity(blocks.len());
    for (index, block) in blocks.iter().enumerate() {
        if block.id.trim().is_empty() {
            stage.add(index, "id must not be empty".into());
        } else if block.id.chars().count() > MAX_ID_CHARS {
            stage.add(
                index,
                format!("id must be at most {MAX_ID_CHARS} characters"),
            );
        } else if let Some(first) = index_of.get(block.id.as_str()) {
            stage.add(
                index,
                format!("duplicate block id \"{}\" (also blocks[{first}])", block.id),
            );
        } else {
            index_of.insert(&block.id, index);
        }
        if !is_type_name(&block.block_type) {
            stage.add(
                index,
                format!(
                    "type must be 1 to {MAX_TYPE_CHARS} letters, digits, '-' or '_'; got \"{}\"",
                    shortened(&block.block_type, MAX_TYPE_CHARS + 1)
                ),
            );
        }
        // References are echoed in later messages, so they are bounded like ids.
        let references = block.parent.iter().chain(&block.children);
        if references
            .into_iter()
            .any(|id| id.chars().count() > MAX_ID_CHARS)
        {
            stage.add(
                index,
                format!("parent and children must be ids of at most {MAX_ID_CHARS} characters"),
            );
        }
    }
    (!stage.failed).then_some(index_of)
}

/// `text` cut after `shown` characters, to fit in an error message.
pub(super) fn shortened(text: &str, shown: usize) -> String {
    match text.char_indices().nth(shown) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_string(),
    }
}

fn is_type_name(block_type: &str) -> bool {
    !block_type.is_empty()
        && block_type.len() <= MAX_TYPE_CHARS
        && block_type
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The links: a parent exists, holds children and lists the block; a block listing children
/// is a container, and each child exists, is listed once and names it as its parent.
fn check_links(blocks: &[Block], index_of: &HashMap<&str, usize>, stage: &mut Stage) {
    for (index, block) in blocks.iter().enumerate() {
        if let Some(parent_id) = &block.parent {
            match index_of.get(parent_id.as_str()).map(|&at| &blocks[at]) {
                None => stage.add(
                    index,
                    format!("parent \"{parent_id}\" is not the id of any block"),
                ),
                Some(parent) if !parent.is_container() => stage.add(
                    index,
                    format!(
                        "parent \"{parent_id}\" is a \"{}\" block, which cannot hold children",
                        parent.block_type
                    ),
                ),
                Some(parent) if !parent.children.contains(&block.id) => stage.add(
                    index,
                    format!(
                        "parent \"{parent_id}\" does not list \"{}\" in its children",
                        block.id
                    ),
                ),
                Some(_) => {}
            }
        }
        if block.children.is_empty() {
            continue;
        }
        if !block.is_container() {
            stage.add(
                index,
                format!(
                    "a \"{}\" block cannot hold children; only {} blocks can",
                    block.block_type,
                    CONTAINER_TYPES.join(", ")
                ),
            );
            continue;
        }
        let mut listed = HashSet::new();
        for child_id in &block.children {
            if !listed.insert(child_id.as_str()) {
                stage.add(index, format!("children list \"{child_id}\" twice"));
                continue;
            }
            let Some(&child_index) = index_of.get(child_id.as_str()) else {
                stage.add(
                    index,
                    format!("child \"{child_id}\" is not the id of any block"),
                );
                continue;
            };
            match &blocks[child_index].parent {
                Some(parent) if *parent == block.id => {}
                Some(parent) => stage.add(
                    index,
                    format!(
                        "child \"{child_id}\" has parent \"{parent}\", not \"{}\"",
                        block.id
                    ),
                ),
                None => stage.add(
                    index,
                    format!(
                        "child \"{child_id}\" has no parent; it should be \"{}\"",
                        block.id
                    ),
                ),
            }
        }
    }
}

/// The whole: following parents from any block reaches the top without meeting itself, within
/// [`MAX_DEPTH`] levels. Runs on consistent links only, so a cycle here is a closed loop of
/// containers each listing the next.
fn check_shape(blocks: &[Block], index_of: &HashMap<&str, usize>, stage: &mut Stage) {
    #[derive(Clone, Copy, PartialEq)]
    enum Depth {
        Unknown,
        Walking,
        Known(usize),
        /// On or below a cycle, already reported.
        Cyclic,
    }
    let parent_of = |index: usize| {
        blocks[index]
            .parent
            .as_deref()
            .and_then(|id| index_of.get(id).copied())
    };
    let mut depths = vec![Depth::Unknown; blocks.len()];
    for start in 0..blocks.len() {
        // Climb until a block of known depth, the top or a block of this very climb.
        let mut path = Vec::new();
        let mut at = Some(start);
        let above = loop {
            let Some(index) = at else {
                break Depth::Known(0);
            };
            match depths[index] {
                Depth::Unknown => {
                    depths[index] = Depth::Walking;
                    path.push(index);
                    at = parent_of(index);
                }
                Depth::Walking => {
                    let loop_start = path.iter().position(|&i| i == index).unwrap_or(0);
                    report_cycle(blocks, &path[loop_start..], stage);
                    break Depth::Cyclic;
                }
                known => break known,
            }
        };
        // Walk back down the climb, giving each block its depth.
        let mut below = above;
        for &index in path.iter().rev() {
            below = match below {
                Depth::Known(depth) => {
                    if depth == MAX_DEPTH {
                        let id = &blocks[index].id;
                        stage.add(
                            index,
                            format!("block \"{id}\" is nested deeper than {MAX_DEPTH} levels"),
                        );
                    }
                    Depth::Known(depth + 1)
                }
                _ => Depth::Cyclic,
            };
            depths[index] = below;
        }
    }
}

/// Reports a loop of parents once, on its block of lowest index.
fn report_cycle(blocks: &[Block], cycle: &[usize], stage: &mut Stage) {
    let Some(first) = (0..cycle.len()).min_by_key(|&at| cycle[at]) else {
        return;
    };
    let chain: Vec<&str> = cycle[first..]
        .iter()
        .chain(&cycle[..=first])
        .map(|&index| blocks[index].id.as_str())
        .collect();
    stage.add(
        cycle[first],
        format!(
            "block \"{}\" is its own ancestor (parents: {})",
            blocks[cycle[first]].id,
            chain.join(" -> ")
        ),
    );
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::test_support::errors_of;

    fn block(id: &str, block_type: &str, parent: Option<&str>, children: &[&str]) -> Block {
        Block {
            children: children.iter().map(|child| child.to_string()).collect(),
            ..Block::new(id, block_type, parent)
        }
    }

    /// The `errors` of checking `blocks`, or null when they pass.
    fn errors(blocks: &[Block]) -> Value {
        let mut validation = MoguValidation::default();
        check(blocks, &mut validation);
        validation.finish().map_or_else(errors_of, |()| Value::Null)
    }

    fn itinerary() -> Vec<Block> {
        vec![
            block("title", "title", None, &[]),
            block("itin", "itinerary", None, &["day1", "day2"]),
            block("day1", "itineraryDay", Some("itin"), &["text1"]),
            block("text1", "text", Some("day1"), &[]),
            block("day2", "itineraryDay", Some("itin"), &[]),
        ]
    }

    #[test]
    fn a_consistent_tree_passes_with_unknown_leaf_types() {
        let mut blocks = itinerary();
        blocks.push(block("hotel", "accommodation", Some("day2"), &[]));
        blocks[4].children.push("hotel".into());
        assert_eq!(errors(&blocks), Value::Null);
        assert_eq!(errors(&[]), Value::Null);
    }

    #[test]
    fn duplicate_ids_are_named_at_the_second_block() {
        let mut blocks = itinerary();
        blocks[3].id = "day1".into();
        assert_eq!(
            errors(&blocks),
            json!({"blocks[3]": ["duplicate block id \"day1\" (also blocks[2])"]})
        );
    }

    #[test]
    fn a_dangling_parent_is_named() {
        let mut blocks = itinerary();
        blocks[0].parent = Some("nowhere".into());
        assert_eq!(
            errors(&blocks),
            json!({"blocks[0]": ["parent \"nowhere\" is not the id of any block"]})
        );
    }

    #[test]
    fn children_under_a_leaf_are_named_on_both_sides() {
        let mut blocks = itinerary();
        blocks[0].children = vec!["inner".into()];
        blocks.push(block("inner", "text", Some("title"), &[]));
        assert_eq!(
            errors(&blocks),
            json!({
                "blocks[0]": ["a \"title\" block cannot hold children; only itinerary, itineraryDay, group, box, dropdown blocks can"],
                "blocks[5]": ["parent \"title\" is a \"title\" block, which cannot hold children"],
            })
        );
    }

    #[test]
    fn parents_and_children_must_agree_both_ways() {
        let mut blocks = itinerary();
        blocks[1].children = vec!["day1".into()];
        blocks[2].children = vec!["text1".into(), "day2".into(), "text1".into()];
        assert_eq!(
            errors(&blocks),
            json!({
                "blocks[2]": [
                    "child \"day2\" has parent \"itin\", not \"day1\"",
                    "children list \"text1\" twice",
                ],
                "blocks[4]": ["parent \"itin\" does not list \"day2\" in its children"],
            })
        );
        let mut blocks = itinerary();
        blocks[2].parent = None;
        assert_eq!(
            errors(&blocks),
            json!({"blocks[1]": ["child \"day1\" has no parent; it should be \"itin\""]})
        );
    }

    #[test]
    fn a_cycle_is_reported_once_on_its_first_block() {
        let blocks = vec![
            block("top", "group", None, &[]),
            block("a", "group", Some("c"), &["b"]),
            block("b", "box", Some("a"), &["c"]),
            block("c", "dropdown", Some("b"), &["a"]),
            block("self", "group", Some("self"), &["self"]),
        ];
        assert_eq!(
            errors(&blocks),
            json!({
                "blocks[1]": ["block \"a\" is its own ancestor (parents: a -> c -> b -> a)"],
                "blocks[4]": ["block \"self\" is its own ancestor (parents: self -> self)"],
            })
        );
    }

    #[test]
    fn size_depth_and_names_are_bounded() {
        let many: Vec<Block> = (0..=MAX_BLOCKS)
            .map(|i| block(&format!("b{i}"), "text", None, &[]))
            .collect();
        assert_eq!(
            errors(&many),
            json!({"blocks": ["at most 2000 blocks are allowed; got 2001"]})
        );
        let mut chain: Vec<Block> = (0..=MAX_DEPTH)
            .map(|depth| {
                let parent = (depth > 0).then(|| format!("g{}", depth - 1));
                block(&format!("g{depth}"), "group", parent.as_deref(), &[])
            })
            .collect();
        for (depth, group) in chain.iter_mut().enumerate().take(MAX_DEPTH) {
            group.children = vec![format!("g{}", depth + 1)];
        }
        assert_eq!(
            errors(&chain),
            json!({"blocks[32]": ["block \"g32\" is nested deeper than 32 levels"]})
        );
        chain.pop();
        chain[MAX_DEPTH - 1].children.clear();
        assert_eq!(
            errors(&chain),
            Value::Null,
            "exactly {MAX_DEPTH} levels pass"
        );
        let named = [
            block(" ", "text", None, &[]),
            block("x", "no spaces", None, &[]),
        ];
        assert_eq!(
            errors(&named),
            json!({
                "blocks[0]": ["id must not be empty"],
                "blocks[1]": ["type must be 1 to 64 letters, digits, '-' or '_'; got \"no spaces\""],
            })
        );
        let long = "x".repeat(200);
        let oversized = [block("y", &long, Some(&long), &[])];
        assert_eq!(
            errors(&oversized),
            json!({"blocks[0]": [
                format!("type must be 1 to 64 letters, digits, '-' or '_'; got \"{}...\"", &long[..65]),
                "parent and children must be ids of at most 128 characters",
            ]})
        );
    }
}
