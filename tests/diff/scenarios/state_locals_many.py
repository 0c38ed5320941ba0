# A frame with more locals than a card lists.
def many():
    v00 = v01 = v02 = v03 = v04 = v05 = v06 = v07 = v08 = v09 = 0
    v10 = v11 = v12 = v13 = v14 = v15 = v16 = v17 = v18 = v19 = 1
    v20 = v21 = v22 = v23 = v24 = v25 = v26 = v27 = v28 = v29 = 2
    v30 = v31 = v32 = v33 = v34 = v35 = v36 = v37 = v38 = v39 = 3
    yield 'many'
#>>> m = many()
#>>> next(m)
