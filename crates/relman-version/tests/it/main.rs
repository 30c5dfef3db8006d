mod changelog;
mod files;
mod versions;
