module multikube.io/bench/benchtool

go 1.24
