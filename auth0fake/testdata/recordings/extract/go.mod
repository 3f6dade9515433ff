module github.com/metamerge/metamerge/auth0fake/testdata/recordings/extract

go 1.26

require gopkg.in/yaml.v3 v3.0.1
