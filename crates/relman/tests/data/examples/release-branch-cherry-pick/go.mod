module github.com/cortexlabs/cortex

go 1.21
