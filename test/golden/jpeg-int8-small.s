; model jpeg: 64 -> 64, dynamic schedule
; hardware golden-small: 2 tiles x 4 PEs, weight buffer 80 words/PE
; datapath: weights int8, activations int8, accumulator int32, exact sigmoid/tanh (axc asm assembles fp32 programs only)
; q0 samples on int8·2^-8
; q1 p1: weights int8·2^-6, accumulator int32·2^-14, output int8·2^-4
; q2 pout: weights int8·2^-6, accumulator int32·2^-10, output int8·2^-5
; q3 h1: weights int8·2^-8, accumulator int32·2^-16, output int8·2^-7
; q4 out: weights int8·2^-8, accumulator int32·2^-15, output int8·2^-9
.model jpeg
.schedule dynamic
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
.stage predict
sample:
    recv m0, 64                                          ; examples/jpeg.axn:5:1
    ldw  t0, p0, 4, @0, d0, 65                           ; examples/jpeg.axn:17:5
    ldw  t1, p0, 4, @0, d260, 65                         ; examples/jpeg.axn:17:5
    ldi  t0, @0, m0, 64                                  ; examples/jpeg.axn:17:5
    neu  t0, p0, 4, @0, 64, @0, relu, 0, @0, @0, q1      ; examples/jpeg.axn:17:5
    ldi  t1, @0, m0, 64                                  ; examples/jpeg.axn:17:5
    neu  t1, p0, 4, @0, 64, @0, relu, 0, @0, @0, q1      ; examples/jpeg.axn:17:5
    ldw  t0, p0, 4, @0, d520, 65                         ; examples/jpeg.axn:17:5
    ldw  t1, p0, 4, @0, d780, 65                         ; examples/jpeg.axn:17:5
    sto  t0, @0, m64, 4                                  ; examples/jpeg.axn:17:5
    neu  t0, p0, 4, @0, 64, @0, relu, 0, @0, @0, q1      ; examples/jpeg.axn:17:5
    sto  t1, @0, m68, 4                                  ; examples/jpeg.axn:17:5
    neu  t1, p0, 4, @0, 64, @0, relu, 0, @0, @0, q1      ; examples/jpeg.axn:17:5
    sto  t0, @0, m72, 4                                  ; examples/jpeg.axn:17:5
    sto  t1, @0, m76, 4                                  ; examples/jpeg.axn:17:5
    ldw  t0, p0, 4, @0, d1040, 17                        ; examples/jpeg.axn:19:7
    ldw  t1, p0, 4, @0, d1108, 17                        ; examples/jpeg.axn:19:7
    ldi  t0, @0, m64, 16                                 ; examples/jpeg.axn:19:7
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0, q2    ; examples/jpeg.axn:19:7
    ldi  t1, @0, m64, 16                                 ; examples/jpeg.axn:19:7
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0, q2    ; examples/jpeg.axn:19:7
    ldw  t0, p0, 4, @0, d1176, 17                        ; examples/jpeg.axn:19:7
    ldw  t1, p0, 4, @0, d1244, 17                        ; examples/jpeg.axn:19:7
.stage store-predictions
    sto  t0, @0, m80, 4                                  ; examples/jpeg.axn:19:7
.stage predict
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0, q2    ; examples/jpeg.axn:19:7
.stage store-predictions
    sto  t1, @0, m84, 4                                  ; examples/jpeg.axn:19:7
.stage predict
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0, q2    ; examples/jpeg.axn:19:7
    ldw  t0, p0, 2, @0, d1312, 17                        ; examples/jpeg.axn:20:7
.stage store-predictions
    sto  t0, @0, m88, 4                                  ; examples/jpeg.axn:19:7
.stage predict
    neu  t0, p0, 2, @0, 16, @0, linear, 0, @0, @0, q2    ; examples/jpeg.axn:20:7
.stage store-predictions
    sto  t1, @0, m92, 4                                  ; examples/jpeg.axn:19:7
    sto  t0, @0, m96, 2                                  ; examples/jpeg.axn:20:7
.stage decide
    decm m96, 1, 0.5, cpu_fallback, s0, q2               ; examples/jpeg.axn:20:7
.stage approximate
    ldw  t0, p0, 4, @0, d1346, 65                        ; examples/jpeg.axn:12:5
    ldw  t1, p0, 4, @0, d1606, 65                        ; examples/jpeg.axn:12:5
    ldi  t0, @0, m0, 64                                  ; examples/jpeg.axn:12:5
    ldi  t0, @64, m80, 4                                 ; examples/jpeg.axn:12:5
    neu  t0, p0, 4, @0, 64, @0, relu, 1, @64, @0, q3     ; examples/jpeg.axn:12:5
    ldi  t1, @0, m0, 64                                  ; examples/jpeg.axn:12:5
    ldi  t1, @64, m84, 4                                 ; examples/jpeg.axn:12:5
    neu  t1, p0, 4, @0, 64, @0, relu, 1, @64, @0, q3     ; examples/jpeg.axn:12:5
    ldw  t0, p0, 4, @0, d1866, 65                        ; examples/jpeg.axn:12:5
    ldw  t1, p0, 4, @0, d2126, 65                        ; examples/jpeg.axn:12:5
    ldi  t0, @64, m88, 4                                 ; examples/jpeg.axn:12:5
    sto  t0, @0, m98, 4                                  ; examples/jpeg.axn:12:5
    neu  t0, p0, 4, @0, 64, @0, relu, 1, @64, @0, q3     ; examples/jpeg.axn:12:5
    ldi  t1, @64, m92, 4                                 ; examples/jpeg.axn:12:5
    sto  t1, @0, m102, 4                                 ; examples/jpeg.axn:12:5
    neu  t1, p0, 4, @0, 64, @0, relu, 1, @64, @0, q3     ; examples/jpeg.axn:12:5
    sto  t0, @0, m106, 4                                 ; examples/jpeg.axn:12:5
    sto  t1, @0, m110, 4                                 ; examples/jpeg.axn:12:5
    ldw  t0, p0, 4, @0, d2386, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d2454, 17                        ; examples/jpeg.axn:13:5
    ldi  t0, @0, m98, 16                                 ; examples/jpeg.axn:13:5
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
    ldi  t1, @0, m98, 16                                 ; examples/jpeg.axn:13:5
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
    ldw  t0, p0, 4, @0, d2522, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d2590, 17                        ; examples/jpeg.axn:13:5
.stage output
    sto  t0, @0, m114, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
.stage output
    sto  t1, @0, m118, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
    ldw  t0, p0, 4, @0, d2658, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d2726, 17                        ; examples/jpeg.axn:13:5
.stage output
    sto  t0, @0, m122, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
.stage output
    sto  t1, @0, m126, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
    ldw  t0, p0, 4, @0, d2794, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d2862, 17                        ; examples/jpeg.axn:13:5
.stage output
    sto  t0, @0, m130, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
.stage output
    sto  t1, @0, m134, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
    ldw  t0, p0, 4, @0, d2930, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d2998, 17                        ; examples/jpeg.axn:13:5
.stage output
    sto  t0, @0, m138, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
.stage output
    sto  t1, @0, m142, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
    ldw  t0, p0, 4, @0, d3066, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d3134, 17                        ; examples/jpeg.axn:13:5
.stage output
    sto  t0, @0, m146, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
.stage output
    sto  t1, @0, m150, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
    ldw  t0, p0, 4, @0, d3202, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d3270, 17                        ; examples/jpeg.axn:13:5
.stage output
    sto  t0, @0, m154, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
.stage output
    sto  t1, @0, m158, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
    ldw  t0, p0, 4, @0, d3338, 17                        ; examples/jpeg.axn:13:5
    ldw  t1, p0, 4, @0, d3406, 17                        ; examples/jpeg.axn:13:5
.stage output
    sto  t0, @0, m162, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t0, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
.stage output
    sto  t1, @0, m166, 4                                 ; examples/jpeg.axn:13:5
.stage approximate
    neu  t1, p0, 4, @0, 16, @0, linear, 0, @0, @0, q4    ; examples/jpeg.axn:13:5
.stage output
    sto  t0, @0, m170, 4                                 ; examples/jpeg.axn:13:5
    sto  t1, @0, m174, 4                                 ; examples/jpeg.axn:13:5
    send m114, 64                                        ; examples/jpeg.axn:13:5
    jmp  sample
.stage decide
cpu_fallback:
    cpu                                                  ; examples/jpeg.axn:20:7
    jmp  sample
