mod changelog;
mod files;
mod towncrier;
mod versions;
mod workspace;
