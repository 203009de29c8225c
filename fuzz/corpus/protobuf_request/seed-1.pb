

d1m1
alice