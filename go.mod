module github.com/saring/saring

go 1.26.8
