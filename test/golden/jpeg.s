; model jpeg: 64 -> 64, static schedule
; hardware axnpu-default: 4 tiles x 8 PEs, weight buffer 512 words/PE
.model jpeg
.schedule static
.benchmark jpeg
.cpu 2848
.quality rmse 0.003
.region x input m0 64
.region p1 hidden m64 16
.region c1 control m80 16
.region logits decision m96 2
.region h1 hidden m98 16
.region y output m114 64
.region p1 weights d0 1040
.region c1 weights d1040 272
.region pout.decision weights d1312 34
.region h1 weights d1346 1040
.region out weights d2386 1088
.stage setup
    ldw  t0, p0, 8, @0, d0, 65                           ; examples/jpeg.axn:17:5
    ldw  t1, p0, 8, @0, d520, 65                         ; examples/jpeg.axn:17:5
    ldw  t2, p0, 8, @0, d1040, 17                        ; examples/jpeg.axn:19:7
    ldw  t3, p0, 8, @0, d1176, 17                        ; examples/jpeg.axn:19:7
    ldw  t2, p0, 2, @17, d1312, 17                       ; examples/jpeg.axn:20:7
    ldw  t0, p0, 8, @65, d1346, 65                       ; examples/jpeg.axn:12:5
    ldw  t1, p0, 8, @65, d1866, 65                       ; examples/jpeg.axn:12:5
    ldw  t0, p0, 8, @130, d2386, 17                      ; examples/jpeg.axn:13:5
    ldw  t1, p0, 8, @130, d2522, 17                      ; examples/jpeg.axn:13:5
    ldw  t2, p0, 8, @34, d2658, 17                       ; examples/jpeg.axn:13:5
    ldw  t0, p0, 8, @147, d2794, 17                      ; examples/jpeg.axn:13:5
    ldw  t1, p0, 8, @147, d2930, 17                      ; examples/jpeg.axn:13:5
    ldw  t2, p0, 8, @51, d3066, 17                       ; examples/jpeg.axn:13:5
    ldw  t0, p0, 8, @164, d3202, 17                      ; examples/jpeg.axn:13:5
    ldw  t1, p0, 8, @164, d3338, 17                      ; examples/jpeg.axn:13:5
.stage predict
sample:
    recv m0, 64                                          ; examples/jpeg.axn:5:1
    ldi  t0, @0, m0, 64                                  ; examples/jpeg.axn:17:5
    neu  t0, p0, 8, @0, 64, @0, relu, 0, @0, @0          ; examples/jpeg.axn:17:5
    ldi  t1, @0, m0, 64                                  ; examples/jpeg.axn:17:5
    neu  t1, p0, 8, @0, 64, @0, relu, 0, @0, @0          ; examples/jpeg.axn:17:5
    sto  t0, @0, m64, 8                                  ; examples/jpeg.axn:17:5
    sto  t1, @0, m72, 8                                  ; examples/jpeg.axn:17:5
    ldi  t2, @0, m64, 16                                 ; examples/jpeg.axn:19:7
    neu  t2, p0, 8, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:19:7
    ldi  t3, @0, m64, 16                                 ; examples/jpeg.axn:19:7
    neu  t3, p0, 8, @0, 16, @0, linear, 0, @0, @0        ; examples/jpeg.axn:19:7
.stage store-predictions
    sto  t2, @0, m80, 8                                  ; examples/jpeg.axn:19:7
.stage predict
    neu  t2, p0, 2, @0, 16, @17, linear, 0, @0, @0       ; examples/jpeg.axn:20:7
.stage store-predictions
    sto  t3, @0, m88, 8                                  ; examples/jpeg.axn:19:7
    sto  t2, @0, m96, 2                                  ; examples/jpeg.axn:20:7
.stage decide
    decm m96, 1, 0.5, cpu_fallback                       ; examples/jpeg.axn:20:7
.stage approximate
    ldi  t0, @0, m0, 64                                  ; examples/jpeg.axn:12:5
    ldi  t0, @64, m80, 8                                 ; examples/jpeg.axn:12:5
    neu  t0, p0, 8, @0, 64, @65, relu, 1, @64, @0        ; examples/jpeg.axn:12:5
    ldi  t1, @0, m0, 64                                  ; examples/jpeg.axn:12:5
    ldi  t1, @64, m88, 8                                 ; examples/jpeg.axn:12:5
    neu  t1, p0, 8, @0, 64, @65, relu, 1, @64, @0        ; examples/jpeg.axn:12:5
    sto  t0, @0, m98, 8                                  ; examples/jpeg.axn:12:5
    sto  t1, @0, m106, 8                                 ; examples/jpeg.axn:12:5
    ldi  t0, @0, m98, 16                                 ; examples/jpeg.axn:13:5
    neu  t0, p0, 8, @0, 16, @130, linear, 0, @0, @0      ; examples/jpeg.axn:13:5
    ldi  t1, @0, m98, 16                                 ; examples/jpeg.axn:13:5
    neu  t1, p0, 8, @0, 16, @130, linear, 0, @0, @0      ; examples/jpeg.axn:13:5
    ldi  t2, @0, m98, 16                                 ; examples/jpeg.axn:13:5
    neu  t2, p0, 8, @0, 16, @34, linear, 0, @0, @0       ; examples/jpeg.axn:13:5
.stage output
    sto  t0, @0, m114, 8                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t0, p0, 8, @0, 16, @147, linear, 0, @0, @0      ; examples/jpeg.axn:13:5
.stage output
    sto  t1, @0, m122, 8                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t1, p0, 8, @0, 16, @147, linear, 0, @0, @0      ; examples/jpeg.axn:13:5
.stage output
    sto  t2, @0, m130, 8                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t2, p0, 8, @0, 16, @51, linear, 0, @0, @0       ; examples/jpeg.axn:13:5
.stage output
    sto  t0, @0, m138, 8                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t0, p0, 8, @0, 16, @164, linear, 0, @0, @0      ; examples/jpeg.axn:13:5
.stage output
    sto  t1, @0, m146, 8                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t1, p0, 8, @0, 16, @164, linear, 0, @0, @0      ; examples/jpeg.axn:13:5
.stage output
    sto  t2, @0, m154, 8                                 ; examples/jpeg.axn:13:5
    sto  t0, @0, m162, 8                                 ; examples/jpeg.axn:13:5
    sto  t1, @0, m170, 8                                 ; examples/jpeg.axn:13:5
    send m114, 64                                        ; examples/jpeg.axn:13:5
    jmp  sample
.stage decide
cpu_fallback:
    cpu                                                  ; examples/jpeg.axn:20:7
    jmp  sample
