

r1m9alice"bob(0Αωρ¶·3