

g1m1
bob"spam 广告