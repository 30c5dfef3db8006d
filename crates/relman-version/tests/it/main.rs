mod changelog;
mod files;
mod properties;
mod towncrier;
mod versions;
mod workspace;
