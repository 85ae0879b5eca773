;; Every fixed-width and relaxed SIMD instruction (0xFD prefix), in opcode
;; order, one instruction per line: core_test.go checks that each decodes to
;; the mnemonic written here. Generated once by a throwaway script.
(module
  (memory 1)
  (func $simd
    i32.const 0
    v128.load offset=16
    drop
    i32.const 0
    v128.load8x8_s offset=16
    drop
    i32.const 0
    v128.load8x8_u offset=16
    drop
    i32.const 0
    v128.load16x4_s offset=16
    drop
    i32.const 0
    v128.load16x4_u offset=16
    drop
    i32.const 0
    v128.load32x2_s offset=16
    drop
    i32.const 0
    v128.load32x2_u offset=16
    drop
    i32.const 0
    v128.load8_splat offset=16
    drop
    i32.const 0
    v128.load16_splat offset=16
    drop
    i32.const 0
    v128.load32_splat offset=16
    drop
    i32.const 0
    v128.load64_splat offset=16
    drop
    i32.const 0
    v128.const i32x4 1 2 3 4
    v128.store align=1
    v128.const i64x2 -1 0x0102030405060708
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.shuffle 31 30 29 28 27 26 25 24 23 22 21 20 19 18 17 16
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.swizzle
    drop
    i32.const 0
    i8x16.splat
    drop
    i32.const 0
    i16x8.splat
    drop
    i32.const 0
    i32x4.splat
    drop
    i64.const 1
    i64x2.splat
    drop
    f32.const 1
    f32x4.splat
    drop
    f64.const 1
    f64x2.splat
    drop
    v128.const i32x4 1 2 3 4
    i8x16.extract_lane_s 15
    drop
    v128.const i32x4 1 2 3 4
    i8x16.extract_lane_u 15
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i8x16.replace_lane 15
    drop
    v128.const i32x4 1 2 3 4
    i16x8.extract_lane_s 7
    drop
    v128.const i32x4 1 2 3 4
    i16x8.extract_lane_u 7
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i16x8.replace_lane 7
    drop
    v128.const i32x4 1 2 3 4
    i32x4.extract_lane 3
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i32x4.replace_lane 3
    drop
    v128.const i32x4 1 2 3 4
    i64x2.extract_lane 1
    drop
    v128.const i32x4 1 2 3 4
    i64.const 1
    i64x2.replace_lane 1
    drop
    v128.const i32x4 1 2 3 4
    f32x4.extract_lane 3
    drop
    v128.const i32x4 1 2 3 4
    f32.const 1
    f32x4.replace_lane 3
    drop
    v128.const i32x4 1 2 3 4
    f64x2.extract_lane 1
    drop
    v128.const i32x4 1 2 3 4
    f64.const 1
    f64x2.replace_lane 1
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.eq
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.ne
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.lt_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.lt_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.gt_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.gt_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.le_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.le_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.ge_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.ge_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.eq
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.ne
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.lt_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.lt_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.gt_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.gt_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.le_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.le_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.ge_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.ge_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.eq
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.ne
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.lt_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.lt_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.gt_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.gt_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.le_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.le_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.ge_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.ge_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.eq
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.ne
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.lt
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.gt
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.le
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.ge
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.eq
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.ne
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.lt
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.gt
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.le
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.ge
    drop
    v128.const i32x4 1 2 3 4
    v128.not
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.and
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.andnot
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.or
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.xor
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.bitselect
    drop
    v128.const i32x4 1 2 3 4
    v128.any_true
    drop
    i32.const 0
    v128.const i32x4 1 2 3 4
    v128.load8_lane offset=0 1
    drop
    i32.const 0
    v128.const i32x4 1 2 3 4
    v128.load16_lane offset=0 1
    drop
    i32.const 0
    v128.const i32x4 1 2 3 4
    v128.load32_lane offset=0 1
    drop
    i32.const 0
    v128.const i32x4 1 2 3 4
    v128.load64_lane offset=0 1
    drop
    i32.const 0
    v128.const i32x4 1 2 3 4
    v128.store8_lane 1
    i32.const 0
    v128.const i32x4 1 2 3 4
    v128.store16_lane 1
    i32.const 0
    v128.const i32x4 1 2 3 4
    v128.store32_lane 1
    i32.const 0
    v128.const i32x4 1 2 3 4
    v128.store64_lane 1
    i32.const 0
    v128.load32_zero offset=16
    drop
    i32.const 0
    v128.load64_zero offset=16
    drop
    v128.const i32x4 1 2 3 4
    f32x4.demote_f64x2_zero
    drop
    v128.const i32x4 1 2 3 4
    f64x2.promote_low_f32x4
    drop
    v128.const i32x4 1 2 3 4
    i8x16.abs
    drop
    v128.const i32x4 1 2 3 4
    i8x16.neg
    drop
    v128.const i32x4 1 2 3 4
    i8x16.popcnt
    drop
    v128.const i32x4 1 2 3 4
    i8x16.all_true
    drop
    v128.const i32x4 1 2 3 4
    i8x16.bitmask
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.narrow_i16x8_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.narrow_i16x8_u
    drop
    v128.const i32x4 1 2 3 4
    f32x4.ceil
    drop
    v128.const i32x4 1 2 3 4
    f32x4.floor
    drop
    v128.const i32x4 1 2 3 4
    f32x4.trunc
    drop
    v128.const i32x4 1 2 3 4
    f32x4.nearest
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i8x16.shl
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i8x16.shr_s
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i8x16.shr_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.add
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.add_sat_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.add_sat_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.sub
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.sub_sat_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.sub_sat_u
    drop
    v128.const i32x4 1 2 3 4
    f64x2.ceil
    drop
    v128.const i32x4 1 2 3 4
    f64x2.floor
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.min_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.min_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.max_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.max_u
    drop
    v128.const i32x4 1 2 3 4
    f64x2.trunc
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.avgr_u
    drop
    v128.const i32x4 1 2 3 4
    i16x8.extadd_pairwise_i8x16_s
    drop
    v128.const i32x4 1 2 3 4
    i16x8.extadd_pairwise_i8x16_u
    drop
    v128.const i32x4 1 2 3 4
    i32x4.extadd_pairwise_i16x8_s
    drop
    v128.const i32x4 1 2 3 4
    i32x4.extadd_pairwise_i16x8_u
    drop
    v128.const i32x4 1 2 3 4
    i16x8.abs
    drop
    v128.const i32x4 1 2 3 4
    i16x8.neg
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.q15mulr_sat_s
    drop
    v128.const i32x4 1 2 3 4
    i16x8.all_true
    drop
    v128.const i32x4 1 2 3 4
    i16x8.bitmask
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.narrow_i32x4_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.narrow_i32x4_u
    drop
    v128.const i32x4 1 2 3 4
    i16x8.extend_low_i8x16_s
    drop
    v128.const i32x4 1 2 3 4
    i16x8.extend_high_i8x16_s
    drop
    v128.const i32x4 1 2 3 4
    i16x8.extend_low_i8x16_u
    drop
    v128.const i32x4 1 2 3 4
    i16x8.extend_high_i8x16_u
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i16x8.shl
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i16x8.shr_s
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i16x8.shr_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.add
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.add_sat_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.add_sat_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.sub
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.sub_sat_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.sub_sat_u
    drop
    v128.const i32x4 1 2 3 4
    f64x2.nearest
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.mul
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.min_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.min_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.max_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.max_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.avgr_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.extmul_low_i8x16_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.extmul_high_i8x16_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.extmul_low_i8x16_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.extmul_high_i8x16_u
    drop
    v128.const i32x4 1 2 3 4
    i32x4.abs
    drop
    v128.const i32x4 1 2 3 4
    i32x4.neg
    drop
    v128.const i32x4 1 2 3 4
    i32x4.all_true
    drop
    v128.const i32x4 1 2 3 4
    i32x4.bitmask
    drop
    v128.const i32x4 1 2 3 4
    i32x4.extend_low_i16x8_s
    drop
    v128.const i32x4 1 2 3 4
    i32x4.extend_high_i16x8_s
    drop
    v128.const i32x4 1 2 3 4
    i32x4.extend_low_i16x8_u
    drop
    v128.const i32x4 1 2 3 4
    i32x4.extend_high_i16x8_u
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i32x4.shl
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i32x4.shr_s
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i32x4.shr_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.add
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.sub
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.mul
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.min_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.min_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.max_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.max_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.dot_i16x8_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.extmul_low_i16x8_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.extmul_high_i16x8_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.extmul_low_i16x8_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.extmul_high_i16x8_u
    drop
    v128.const i32x4 1 2 3 4
    i64x2.abs
    drop
    v128.const i32x4 1 2 3 4
    i64x2.neg
    drop
    v128.const i32x4 1 2 3 4
    i64x2.all_true
    drop
    v128.const i32x4 1 2 3 4
    i64x2.bitmask
    drop
    v128.const i32x4 1 2 3 4
    i64x2.extend_low_i32x4_s
    drop
    v128.const i32x4 1 2 3 4
    i64x2.extend_high_i32x4_s
    drop
    v128.const i32x4 1 2 3 4
    i64x2.extend_low_i32x4_u
    drop
    v128.const i32x4 1 2 3 4
    i64x2.extend_high_i32x4_u
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i64x2.shl
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i64x2.shr_s
    drop
    v128.const i32x4 1 2 3 4
    i32.const 0
    i64x2.shr_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.add
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.sub
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.mul
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.eq
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.ne
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.lt_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.gt_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.le_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.ge_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.extmul_low_i32x4_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.extmul_high_i32x4_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.extmul_low_i32x4_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.extmul_high_i32x4_u
    drop
    v128.const i32x4 1 2 3 4
    f32x4.abs
    drop
    v128.const i32x4 1 2 3 4
    f32x4.neg
    drop
    v128.const i32x4 1 2 3 4
    f32x4.sqrt
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.add
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.sub
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.mul
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.div
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.min
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.max
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.pmin
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.pmax
    drop
    v128.const i32x4 1 2 3 4
    f64x2.abs
    drop
    v128.const i32x4 1 2 3 4
    f64x2.neg
    drop
    v128.const i32x4 1 2 3 4
    f64x2.sqrt
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.add
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.sub
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.mul
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.div
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.min
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.max
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.pmin
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.pmax
    drop
    v128.const i32x4 1 2 3 4
    i32x4.trunc_sat_f32x4_s
    drop
    v128.const i32x4 1 2 3 4
    i32x4.trunc_sat_f32x4_u
    drop
    v128.const i32x4 1 2 3 4
    f32x4.convert_i32x4_s
    drop
    v128.const i32x4 1 2 3 4
    f32x4.convert_i32x4_u
    drop
    v128.const i32x4 1 2 3 4
    i32x4.trunc_sat_f64x2_s_zero
    drop
    v128.const i32x4 1 2 3 4
    i32x4.trunc_sat_f64x2_u_zero
    drop
    v128.const i32x4 1 2 3 4
    f64x2.convert_low_i32x4_s
    drop
    v128.const i32x4 1 2 3 4
    f64x2.convert_low_i32x4_u
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.relaxed_swizzle
    drop
    v128.const i32x4 1 2 3 4
    i32x4.relaxed_trunc_f32x4_s
    drop
    v128.const i32x4 1 2 3 4
    i32x4.relaxed_trunc_f32x4_u
    drop
    v128.const i32x4 1 2 3 4
    i32x4.relaxed_trunc_f64x2_s_zero
    drop
    v128.const i32x4 1 2 3 4
    i32x4.relaxed_trunc_f64x2_u_zero
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.relaxed_madd
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.relaxed_nmadd
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.relaxed_madd
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.relaxed_nmadd
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i8x16.relaxed_laneselect
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.relaxed_laneselect
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.relaxed_laneselect
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i64x2.relaxed_laneselect
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.relaxed_min
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f32x4.relaxed_max
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.relaxed_min
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    f64x2.relaxed_max
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.relaxed_q15mulr_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i16x8.dot_i8x16_i7x16_s ;; wabt 1.0.32 name for i16x8.relaxed_dot_i8x16_i7x16_s
    drop
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    v128.const i32x4 1 2 3 4
    i32x4.dot_i8x16_i7x16_add_s ;; wabt 1.0.32 name for i32x4.relaxed_dot_i8x16_i7x16_add_s
    drop
  )
)
