//! How a runbook's blocks relate: which sections hold code, which prose introduces a code block,
//! which list items are titles, and which items are the children of which.

use super::blocks::{Block, BlockKind};

/// How the blocks relate: sections with code, prose that introduces code, list items that are
/// headings, and which items are the children of which.
pub(super) struct Layout {
    pub section_has_code: Vec<bool>,
    pub intro: Vec<bool>,
    pub group_heading: Vec<bool>,
    pub children: Vec<Vec<usize>>,
    pub parent: Vec<Option<usize>>,
}

impl Layout {
    pub(super) fn of(blocks: &[Block]) -> Layout {
        let count = blocks.len();
        // A numbered item followed, after a blank line, by prose or code rather than the next
        // item is the title of what follows ("1. Update the version number").
        let group_heading: Vec<bool> = (0..count)
            .map(|index| {
                let (Some(mark), Some(text)) = (blocks[index].list(), blocks[index].text()) else {
                    return false;
                };
                // A title is short and is no sentence.
                mark.ordered
                    && mark.depth == 0
                    && text.chars().count() <= 60
                    && !text.trim_end().ends_with(['.', '!', '?'])
                    && blocks.get(index + 1).is_some_and(|next| {
                        next.blank_before
                            && next.list().is_none()
                            && !matches!(next.kind, BlockKind::Heading { .. })
                    })
            })
            .collect();
        let is_heading = |index: usize| {
            matches!(blocks[index].kind, BlockKind::Heading { .. }) || group_heading[index]
        };
        let mut section_has_code = vec![false; count];
        let mut start = 0;
        for end in 0..=count {
            if end == count || (end > start && is_heading(end)) {
                let has_code = blocks[start..end]
                    .iter()
                    .any(|block| matches!(block.kind, BlockKind::Code { .. }));
                for flag in &mut section_has_code[start..end] {
                    *flag = has_code;
                }
                start = end;
            }
        }
        // Prose right before a code block (with only prose between) introduces it.
        let mut intro = vec![false; count];
        for index in (0..count).rev() {
            let next_is_code = blocks.get(index + 1).is_some_and(|next| {
                matches!(next.kind, BlockKind::Code { .. }) || intro[index + 1]
            });
            intro[index] = next_is_code
                && matches!(blocks[index].kind, BlockKind::Text { list: None, .. })
                && !group_heading[index];
        }
        let mut children = vec![Vec::new(); count];
        let mut parent = vec![None; count];
        for index in 0..count {
            let Some(mark) = blocks[index].list() else {
                continue;
            };
            // The nearest item above with a smaller depth, in the same run of items; or, for
            // a top-level run, the prose line right above it (no blank line between).
            let mut above = index;
            while above > 0 {
                above -= 1;
                match blocks[above].list() {
                    Some(other) if other.depth < mark.depth => {
                        parent[index] = Some(above);
                        break;
                    }
                    Some(_) => {}
                    None => {
                        let attached =
                            matches!(blocks[above].kind, BlockKind::Text { list: None, .. })
                                && !blocks[above + 1].blank_before
                                && blocks[above + 1].list().is_some();
                        if attached && mark.depth == blocks[above + 1].list().map_or(0, |m| m.depth)
                        {
                            parent[index] = Some(above);
                        }
                        break;
                    }
                }
            }
            if let Some(parent) = parent[index] {
                children[parent].push(index);
            }
        }
        Layout {
            section_has_code,
            intro,
            group_heading,
            children,
            parent,
        }
    }
}
