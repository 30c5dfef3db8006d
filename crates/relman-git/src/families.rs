//! The last release of each of many tag families (the packages of a monorepo, each with its own
//! tags) and the commits each family has not released, from one `git log --name-only` walk: never
//! one walk per package.
//!
//! Per family the rules of [`Repository::commits_since_release`] hold: the last release is the
//! highest version tagged on a commit the start reaches, and a commit is unreleased when no
//! release tag at or above it reaches it. The walk goes from the start, newest first, keeping the
//! commit graph (ids and parents, a few bytes a commit) and what the caller's `keep` returns for
//! each commit; it meets each family's newest tagged commit on the way. It may stop once every
//! family has met one and the graph is closed: every commit not walked yet that a walked commit
//! names as a parent is an ancestor of every family's tagged commit, so nothing older can be
//! unreleased for anyone. On a linear history that is the parent of the oldest last release, so
//! the walk costs what `git log --name-only OLDEST..HEAD` costs. Which walked commits each family
//! released is then one pass over the graph in topological order, pushing each family's bit from
//! its tagged commit to the parents.
//!
//! Families with a tag of a higher version than the one met first (a release branch never merged
//! back) need the exact rules of `commits_since_release`: their last release is chosen as there,
//! and one more walk (`FROM --not LAST HIGHER…`) tells their unreleased commits. That is rare, and
//! costs a walk for that family alone.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::ControlFlow;

use crate::error::GitError;
use crate::log::{CommitRef, Decorate, LogOptions, Revisions};
use crate::read::check_revision;
use crate::release::{Candidate, Classified, MAX_NAMED_PATTERNS, Release, TagKind};
use crate::repository::Repository;

/// What one walk over many tag families found.
#[derive(Debug)]
pub struct FamilyWalk<V, K> {
    /// For each family, its last release reachable from the start.
    pub releases: Vec<Option<Release<V>>>,
    /// The commits the caller kept, newest first (in walk order), each with the families that
    /// have not released it.
    pub commits: Vec<KeptCommit<K>>,
}

/// A commit the caller kept, and the families it is unreleased for.
#[derive(Debug, Clone)]
pub struct KeptCommit<K> {
    pub value: K,
    pub unreleased: FamilySet,
}

/// A set of family numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilySet {
    words: Box<[u64]>,
}

impl FamilySet {
    fn empty(families: usize) -> Self {
        FamilySet {
            words: vec![0; families.div_ceil(64).max(1)].into_boxed_slice(),
        }
    }

    fn insert(&mut self, family: usize) {
        self.words[family / 64] |= 1 << (family % 64);
    }

    fn remove(&mut self, family: usize) {
        self.words[family / 64] &= !(1 << (family % 64));
    }

    pub fn contains(&self, family: usize) -> bool {
        self.words
            .get(family / 64)
            .is_some_and(|word| word & (1 << (family % 64)) != 0)
    }

    /// The families in the set, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(index, word)| {
            (0..64)
                .filter(move |bit| word & (1 << bit) != 0)
                .map(move |bit| index * 64 + bit)
        })
    }
}

/// Commits walked so far (and the parents they name), by compact number.
struct Graph {
    ids: HashMap<[u8; 20], u32>,
    /// `(start, end)` into `parent_list` for walked commits; `None` for a parent not walked yet.
    parents: Vec<Option<(u32, u32)>>,
    parent_list: Vec<u32>,
    shas: Vec<[u8; 20]>,
}

impl Graph {
    fn new() -> Self {
        Graph {
            ids: HashMap::new(),
            parents: Vec::new(),
            parent_list: Vec::new(),
            shas: Vec::new(),
        }
    }

    fn id(&mut self, sha: &str) -> u32 {
        let key = binary(sha);
        if let Some(id) = self.ids.get(&key) {
            return *id;
        }
        let id = u32::try_from(self.shas.len()).expect("invariant: fewer than 4 billion commits");
        self.ids.insert(key, id);
        self.shas.push(key);
        self.parents.push(None);
        id
    }

    fn get(&self, sha: &str) -> Option<u32> {
        self.ids.get(&binary(sha)).copied()
    }

    fn walked(&mut self, commit: &CommitRef<'_>) -> u32 {
        let id = self.id(commit.sha());
        let start = len32(&self.parent_list);
        for parent in commit.parents() {
            let parent = self.id(parent);
            self.parent_list.push(parent);
        }
        self.parents[id as usize] = Some((start, len32(&self.parent_list)));
        id
    }

    fn parents_of(&self, id: u32) -> &[u32] {
        match self.parents[id as usize] {
            Some((start, end)) => &self.parent_list[start as usize..end as usize],
            None => &[],
        }
    }

    /// For every node, the families whose seed commit reaches it (the node is that commit or one
    /// of its ancestors), as bit words: `words` per node. Kahn's algorithm from the commits no
    /// walked commit names as a parent, so each node is final before it is pushed to its parents.
    fn reach(&self, seeds: &[(u32, usize)], words: usize) -> Vec<u64> {
        let count = self.shas.len();
        let mut bits = vec![0_u64; count * words];
        for &(node, family) in seeds {
            bits[node as usize * words + family / 64] |= 1 << (family % 64);
        }
        let mut children = vec![0_u32; count];
        for node in 0..count {
            for &parent in self.parents_of(node as u32) {
                children[parent as usize] += 1;
            }
        }
        let mut ready: VecDeque<u32> = (0..count as u32)
            .filter(|node| children[*node as usize] == 0)
            .collect();
        while let Some(node) = ready.pop_front() {
            for &parent in self.parents_of(node) {
                let (from, to) = (node as usize * words, parent as usize * words);
                for word in 0..words {
                    bits[to + word] |= bits[from + word];
                }
                children[parent as usize] -= 1;
                if children[parent as usize] == 0 {
                    ready.push_back(parent);
                }
            }
        }
        bits
    }
}

fn len32<T>(list: &[T]) -> u32 {
    u32::try_from(list.len()).expect("invariant: fewer than 4 billion parents")
}

/// A 40-digit hex id as 20 bytes (any other text hashes to its own bytes, truncated: only ids
/// git printed are passed).
fn binary(sha: &str) -> [u8; 20] {
    let mut out = [0_u8; 20];
    let bytes = sha.as_bytes();
    for (index, slot) in out.iter_mut().enumerate() {
        let digit = |at: usize| {
            bytes
                .get(at)
                .and_then(|byte| (*byte as char).to_digit(16))
                .unwrap_or(0) as u8
        };
        *slot = digit(index * 2) << 4 | digit(index * 2 + 1);
    }
    out
}

/// The first tagged commit a family met, with the tag of highest version on it.
struct Met {
    tag: String,
    node: u32,
    commit: String,
}

/// Commits walked between two closure checks, at least.
const MIN_CHECK_INTERVAL: usize = 256;

impl Repository {
    /// The last release of each of `families` tag families reachable from `from`, and the
    /// commits `keep` keeps with the families that have not released them, from one walk (see
    /// the module documentation). `classify` names each tag's family and kind (`None`: no
    /// family's); `malformed` receives the tags a family calls [`TagKind::Malformed`]; `keep`
    /// sees every walked commit with its changed paths and returns what to keep of it.
    pub fn family_releases<V: Ord + Clone, K>(
        &self,
        from: &str,
        families: usize,
        mut classify: impl FnMut(&str) -> Option<(usize, TagKind<V>)>,
        mut malformed: impl FnMut(usize, &str),
        mut keep: impl FnMut(CommitRef<'_>) -> Option<K>,
    ) -> Result<FamilyWalk<V, K>, GitError> {
        check_revision(from)?;
        let words = families.div_ceil(64).max(1);
        let mut releases: HashMap<String, (usize, Classified<V>)> = HashMap::new();
        let mut known: HashMap<String, Vec<String>> = HashMap::new();
        let mut undecorated: Vec<String> = Vec::new();
        let mut tagged = vec![false; families];
        for tag in self.tag_targets()? {
            let Some((family, kind)) = classify(&tag.name) else {
                continue;
            };
            let (version, pre) = match kind {
                TagKind::Release(version) => (version, false),
                TagKind::PreRelease(version) => (version, true),
                TagKind::Malformed => {
                    malformed(family, &tag.name);
                    continue;
                }
                TagKind::Unrelated => continue,
            };
            if family >= families {
                continue;
            }
            tagged[family] = true;
            match &tag.commit {
                Some(commit) => known
                    .entry(commit.clone())
                    .or_default()
                    .push(tag.name.clone()),
                None => undecorated.push(format!("refs/tags/{}", tag.name)),
            }
            releases.insert(tag.name, (family, Classified { version, pre }));
        }
        let decorate = if undecorated.is_empty() {
            Decorate::Nothing
        } else if undecorated.len() <= MAX_NAMED_PATTERNS {
            Decorate::Only(undecorated)
        } else {
            Decorate::AllTags
        };
        let options = LogOptions {
            changed_paths: true,
            ..LogOptions::default()
        };
        let every_family_tagged = tagged.iter().all(|tagged| *tagged);
        let mut graph = Graph::new();
        let mut met: Vec<Option<Met>> = (0..families).map(|_| None).collect();
        let mut unmet = tagged.iter().filter(|tagged| **tagged).count();
        let mut kept: Vec<(u32, K)> = Vec::new();
        let mut walked = 0_usize;
        let mut next_check = 0_usize;
        let stopped = self.walk_with(Revisions::Rev(from), &options, &decorate, |commit| {
            let node = graph.walked(&commit);
            walked += 1;
            if unmet > 0 {
                let known_here = known
                    .get(commit.sha())
                    .into_iter()
                    .flatten()
                    .map(String::as_str);
                for tag in commit.tags().chain(known_here) {
                    let Some((family, release)) = releases.get(tag) else {
                        continue;
                    };
                    let better = match &met[*family] {
                        None => true,
                        Some(seen) if seen.node == node => {
                            releases[seen.tag.as_str()].1.version < release.version
                        }
                        Some(_) => false,
                    };
                    if better {
                        if met[*family].is_none() {
                            unmet -= 1;
                        }
                        met[*family] = Some(Met {
                            tag: tag.to_owned(),
                            node,
                            commit: commit.sha().to_owned(),
                        });
                    }
                }
            }
            if let Some(value) = keep(commit) {
                kept.push((node, value));
            }
            if every_family_tagged && unmet == 0 && walked >= next_check {
                next_check = walked + MIN_CHECK_INTERVAL.max(walked / 2);
                if closed(&graph, &met, words) {
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        })?;
        if stopped.is_none() && self.is_shallow() {
            return Err(self.shallow_error());
        }

        // Families whose first met tag is not their highest: the exact rules, one walk each.
        let mut exact: Vec<(usize, HashSet<u32>)> = Vec::new();
        let mut chosen: Vec<Option<(String, String)>> = Vec::with_capacity(families);
        for (family, found) in met.iter().enumerate() {
            let Some(found) = found else {
                chosen.push(None);
                continue;
            };
            let first = &releases[found.tag.as_str()].1;
            let higher: Vec<(&str, &Classified<V>)> = releases
                .iter()
                .filter(|(_, (owner, release))| *owner == family && release.version > first.version)
                .map(|(name, (_, release))| (name.as_str(), release))
                .collect();
            if higher.is_empty() {
                chosen.push(Some((found.tag.clone(), found.commit.clone())));
                continue;
            }
            let candidate = Candidate {
                name: found.tag.as_str(),
                version: &first.version,
                pre: first.pre,
                commit: found.commit.clone(),
            };
            let last = self.last_release(from, candidate, &higher)?;
            let last_version = &releases[last.name].1.version;
            let mut excluded: Vec<String> = vec![last.commit.clone()];
            excluded.extend(
                higher
                    .iter()
                    .filter(|(_, release)| release.version > *last_version)
                    .map(|(name, _)| format!("refs/tags/{name}")),
            );
            excluded.sort();
            let mut unreleased = HashSet::new();
            self.walk_with(
                Revisions::Excluding {
                    from,
                    not: &excluded,
                },
                &options,
                &Decorate::Nothing,
                |commit| {
                    let node = match graph.get(commit.sha()) {
                        Some(node) if graph.parents[node as usize].is_some() => node,
                        _ => {
                            // Older than the main walk went: kept now.
                            let node = graph.walked(&commit);
                            if let Some(value) = keep(commit) {
                                kept.push((node, value));
                            }
                            node
                        }
                    };
                    unreleased.insert(node);
                    ControlFlow::<()>::Continue(())
                },
            )?;
            exact.push((family, unreleased));
            chosen.push(Some((last.name.to_owned(), last.commit)));
        }

        let seeds: Vec<(u32, usize)> = met
            .iter()
            .enumerate()
            .filter_map(|(family, found)| found.as_ref().map(|found| (found.node, family)))
            .collect();
        let reached = graph.reach(&seeds, words);
        let commits = kept
            .into_iter()
            .map(|(node, value)| {
                let mut unreleased = FamilySet::empty(families);
                let bits = &reached[node as usize * words..(node as usize + 1) * words];
                for family in 0..families {
                    if bits[family / 64] & (1 << (family % 64)) == 0 {
                        unreleased.insert(family);
                    }
                }
                for (family, set) in &exact {
                    if set.contains(&node) {
                        unreleased.insert(*family);
                    } else {
                        unreleased.remove(*family);
                    }
                }
                KeptCommit { value, unreleased }
            })
            .collect();
        let releases_out = chosen
            .into_iter()
            .map(|chosen| {
                chosen.map(|(tag, commit)| Release {
                    version: releases[tag.as_str()].1.version.clone(),
                    tag,
                    commit,
                })
            })
            .collect();
        Ok(FamilyWalk {
            releases: releases_out,
            commits,
        })
    }
}

/// Whether every commit named as a parent and not walked yet is an ancestor of every family's
/// tagged commit: then nothing older is unreleased for any family.
fn closed(graph: &Graph, met: &[Option<Met>], words: usize) -> bool {
    let seeds: Vec<(u32, usize)> = met
        .iter()
        .enumerate()
        .filter_map(|(family, found)| found.as_ref().map(|found| (found.node, family)))
        .collect();
    let reached = graph.reach(&seeds, words);
    let mut all = vec![0_u64; words];
    for &(_, family) in &seeds {
        all[family / 64] |= 1 << (family % 64);
    }
    (0..graph.shas.len()).all(|node| {
        graph.parents[node].is_some()
            || reached[node * words..(node + 1) * words]
                .iter()
                .zip(&all)
                .all(|(have, want)| have & want == *want)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_sets() {
        let mut set = FamilySet::empty(130);
        set.insert(0);
        set.insert(64);
        set.insert(129);
        assert!(set.contains(64) && !set.contains(63));
        set.remove(64);
        assert_eq!(set.iter().collect::<Vec<_>>(), [0, 129]);
        assert!(!set.contains(500));
    }

    #[test]
    fn ids_are_binary() {
        assert_eq!(
            binary("c6f958eecdfcbf09d5031fbfaa2cc2043a7caa66")[..3],
            [0xc6, 0xf9, 0x58]
        );
    }
}
