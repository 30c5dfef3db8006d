package version

// Version 1.2.3 was the first release to use relman.
const Version = "1.2.4"
