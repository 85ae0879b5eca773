;; Every non-SIMD instruction of Wasm 2.0 plus tail calls and extended-const,
;; one instruction per line in plain (unfolded) syntax: core_test.go checks
;; that each line decodes to the mnemonic written here, in order.
(module
  (type $sig (func (param i32) (result i32)))
  (type $pair (func (param i32 i64) (result i32 i64)))
  (import "env" "imported" (func $imported (type $sig)))
  (import "env" "g" (global $gi i64))
  (table $t0 2 funcref)
  (table $t1 2 10 externref)
  (memory $m 1 2)
  (global $g (mut i32) (i32.const 0))
  (global $gx i64 (i64.add (global.get $gi) (i64.mul (i64.const 3) (i64.sub (i64.const 5) (i64.const 1)))))
  (elem $e (i32.const 0) $control)
  (elem $p funcref (ref.func $control))
  (data $d "abc")
  (func $control (param $x i32) (result i32) (local $y i64) (local $z f32) (local $r externref)
    unreachable
    nop
    block
    end
    block $b (result i32)
      i32.const 1
    end
    drop
    i32.const 1
    i64.const 2
    block (type $pair)
    end
    drop
    drop
    loop $l
      local.get $x
      br_if $l
      br $l
    end
    local.get $x
    if (result i32)
      i32.const 1
    else
      i32.const 2
    end
    drop
    block $b1
      block $b2
        local.get $x
        br_table $b1 $b2 $b1
      end
    end
    local.get $x
    call $imported
    local.get $x
    i32.const 0
    call_indirect $t0 (type $sig)
    drop
    i32.const 1
    i32.const 2
    local.get $x
    select
    drop
    i64.const 1
    i64.const 2
    local.get $x
    select (result i64)
    local.set $y
    local.get $x
    local.tee $x
    global.set $g
    global.get $g
    drop
    global.get $gx
    drop
    i32.const 0
    table.get $t1
    local.set $r
    i32.const 1
    ref.null extern
    table.set $t1
    ref.null func
    ref.is_null
    drop
    ref.func $control
    drop
    i32.const 0
    i32.load offset=8 align=2
    drop
    i32.const 0
    i64.load
    drop
    i32.const 0
    f32.load
    drop
    i32.const 0
    f64.load
    drop
    i32.const 0
    i32.load8_s
    drop
    i32.const 0
    i32.load8_u
    drop
    i32.const 0
    i32.load16_s
    drop
    i32.const 0
    i32.load16_u
    drop
    i32.const 0
    i64.load8_s
    drop
    i32.const 0
    i64.load8_u
    drop
    i32.const 0
    i64.load16_s
    drop
    i32.const 0
    i64.load16_u
    drop
    i32.const 0
    i64.load32_s
    drop
    i32.const 0
    i64.load32_u
    drop
    i32.const 0
    i32.const -1
    i32.store offset=4294967295
    i32.const 0
    i64.const -9223372036854775808
    i64.store
    i32.const 0
    f32.const -0x1.8p+0
    f32.store
    i32.const 0
    f64.const 0x1.1p-1000
    f64.store
    i32.const 0
    i32.const 0
    i32.store8
    i32.const 0
    i32.const 0
    i32.store16
    i32.const 0
    i64.const 0
    i64.store8
    i32.const 0
    i64.const 0
    i64.store16
    i32.const 0
    i64.const 0
    i64.store32
    memory.size
    memory.grow
    drop
    i32.const 1
    i32.eqz
    drop
    i32.const 1
    i32.const 1
    i32.eq
    drop
    i32.const 1
    i32.const 1
    i32.ne
    drop
    i32.const 1
    i32.const 1
    i32.lt_s
    drop
    i32.const 1
    i32.const 1
    i32.lt_u
    drop
    i32.const 1
    i32.const 1
    i32.gt_s
    drop
    i32.const 1
    i32.const 1
    i32.gt_u
    drop
    i32.const 1
    i32.const 1
    i32.le_s
    drop
    i32.const 1
    i32.const 1
    i32.le_u
    drop
    i32.const 1
    i32.const 1
    i32.ge_s
    drop
    i32.const 1
    i32.const 1
    i32.ge_u
    drop
    i64.const 1
    i64.eqz
    drop
    i64.const 1
    i64.const 1
    i64.eq
    drop
    i64.const 1
    i64.const 1
    i64.ne
    drop
    i64.const 1
    i64.const 1
    i64.lt_s
    drop
    i64.const 1
    i64.const 1
    i64.lt_u
    drop
    i64.const 1
    i64.const 1
    i64.gt_s
    drop
    i64.const 1
    i64.const 1
    i64.gt_u
    drop
    i64.const 1
    i64.const 1
    i64.le_s
    drop
    i64.const 1
    i64.const 1
    i64.le_u
    drop
    i64.const 1
    i64.const 1
    i64.ge_s
    drop
    i64.const 1
    i64.const 1
    i64.ge_u
    drop
    f32.const 1
    f32.const 1
    f32.eq
    drop
    f32.const 1
    f32.const 1
    f32.ne
    drop
    f32.const 1
    f32.const 1
    f32.lt
    drop
    f32.const 1
    f32.const 1
    f32.gt
    drop
    f32.const 1
    f32.const 1
    f32.le
    drop
    f32.const 1
    f32.const 1
    f32.ge
    drop
    f64.const 1
    f64.const 1
    f64.eq
    drop
    f64.const 1
    f64.const 1
    f64.ne
    drop
    f64.const 1
    f64.const 1
    f64.lt
    drop
    f64.const 1
    f64.const 1
    f64.gt
    drop
    f64.const 1
    f64.const 1
    f64.le
    drop
    f64.const 1
    f64.const 1
    f64.ge
    drop
    i32.const 1
    i32.clz
    drop
    i32.const 1
    i32.ctz
    drop
    i32.const 1
    i32.popcnt
    drop
    i32.const 1
    i32.const 1
    i32.add
    drop
    i32.const 1
    i32.const 1
    i32.sub
    drop
    i32.const 1
    i32.const 1
    i32.mul
    drop
    i32.const 1
    i32.const 1
    i32.div_s
    drop
    i32.const 1
    i32.const 1
    i32.div_u
    drop
    i32.const 1
    i32.const 1
    i32.rem_s
    drop
    i32.const 1
    i32.const 1
    i32.rem_u
    drop
    i32.const 1
    i32.const 1
    i32.and
    drop
    i32.const 1
    i32.const 1
    i32.or
    drop
    i32.const 1
    i32.const 1
    i32.xor
    drop
    i32.const 1
    i32.const 1
    i32.shl
    drop
    i32.const 1
    i32.const 1
    i32.shr_s
    drop
    i32.const 1
    i32.const 1
    i32.shr_u
    drop
    i32.const 1
    i32.const 1
    i32.rotl
    drop
    i32.const 1
    i32.const 1
    i32.rotr
    drop
    i64.const 1
    i64.clz
    drop
    i64.const 1
    i64.ctz
    drop
    i64.const 1
    i64.popcnt
    drop
    i64.const 1
    i64.const 1
    i64.add
    drop
    i64.const 1
    i64.const 1
    i64.sub
    drop
    i64.const 1
    i64.const 1
    i64.mul
    drop
    i64.const 1
    i64.const 1
    i64.div_s
    drop
    i64.const 1
    i64.const 1
    i64.div_u
    drop
    i64.const 1
    i64.const 1
    i64.rem_s
    drop
    i64.const 1
    i64.const 1
    i64.rem_u
    drop
    i64.const 1
    i64.const 1
    i64.and
    drop
    i64.const 1
    i64.const 1
    i64.or
    drop
    i64.const 1
    i64.const 1
    i64.xor
    drop
    i64.const 1
    i64.const 1
    i64.shl
    drop
    i64.const 1
    i64.const 1
    i64.shr_s
    drop
    i64.const 1
    i64.const 1
    i64.shr_u
    drop
    i64.const 1
    i64.const 1
    i64.rotl
    drop
    i64.const 1
    i64.const 1
    i64.rotr
    drop
    f32.const 1
    f32.abs
    drop
    f32.const 1
    f32.neg
    drop
    f32.const 1
    f32.ceil
    drop
    f32.const 1
    f32.floor
    drop
    f32.const 1
    f32.trunc
    drop
    f32.const 1
    f32.nearest
    drop
    f32.const 1
    f32.sqrt
    drop
    f32.const 1
    f32.const 1
    f32.add
    drop
    f32.const 1
    f32.const 1
    f32.sub
    drop
    f32.const 1
    f32.const 1
    f32.mul
    drop
    f32.const 1
    f32.const 1
    f32.div
    drop
    f32.const 1
    f32.const 1
    f32.min
    drop
    f32.const 1
    f32.const 1
    f32.max
    drop
    f32.const 1
    f32.const 1
    f32.copysign
    drop
    f64.const 1
    f64.abs
    drop
    f64.const 1
    f64.neg
    drop
    f64.const 1
    f64.ceil
    drop
    f64.const 1
    f64.floor
    drop
    f64.const 1
    f64.trunc
    drop
    f64.const 1
    f64.nearest
    drop
    f64.const 1
    f64.sqrt
    drop
    f64.const 1
    f64.const 1
    f64.add
    drop
    f64.const 1
    f64.const 1
    f64.sub
    drop
    f64.const 1
    f64.const 1
    f64.mul
    drop
    f64.const 1
    f64.const 1
    f64.div
    drop
    f64.const 1
    f64.const 1
    f64.min
    drop
    f64.const 1
    f64.const 1
    f64.max
    drop
    f64.const 1
    f64.const 1
    f64.copysign
    drop
    i64.const 1
    i32.wrap_i64
    drop
    f32.const 1
    i32.trunc_f32_s
    drop
    f32.const 1
    i32.trunc_f32_u
    drop
    f64.const 1
    i32.trunc_f64_s
    drop
    f64.const 1
    i32.trunc_f64_u
    drop
    i32.const 1
    i64.extend_i32_s
    drop
    i32.const 1
    i64.extend_i32_u
    drop
    f32.const 1
    i64.trunc_f32_s
    drop
    f32.const 1
    i64.trunc_f32_u
    drop
    f64.const 1
    i64.trunc_f64_s
    drop
    f64.const 1
    i64.trunc_f64_u
    drop
    i32.const 1
    f32.convert_i32_s
    drop
    i32.const 1
    f32.convert_i32_u
    drop
    i64.const 1
    f32.convert_i64_s
    drop
    i64.const 1
    f32.convert_i64_u
    drop
    f64.const 1
    f32.demote_f64
    drop
    i32.const 1
    f64.convert_i32_s
    drop
    i32.const 1
    f64.convert_i32_u
    drop
    i64.const 1
    f64.convert_i64_s
    drop
    i64.const 1
    f64.convert_i64_u
    drop
    f32.const 1
    f64.promote_f32
    drop
    f32.const 1
    i32.reinterpret_f32
    drop
    f64.const 1
    i64.reinterpret_f64
    drop
    i32.const 1
    f32.reinterpret_i32
    drop
    i64.const 1
    f64.reinterpret_i64
    drop
    i32.const 1
    i32.extend8_s
    drop
    i32.const 1
    i32.extend16_s
    drop
    i64.const 1
    i64.extend8_s
    drop
    i64.const 1
    i64.extend16_s
    drop
    i64.const 1
    i64.extend32_s
    drop
    f32.const 1
    i32.trunc_sat_f32_s
    drop
    f32.const 1
    i32.trunc_sat_f32_u
    drop
    f64.const 1
    i32.trunc_sat_f64_s
    drop
    f64.const 1
    i32.trunc_sat_f64_u
    drop
    f32.const 1
    i64.trunc_sat_f32_s
    drop
    f32.const 1
    i64.trunc_sat_f32_u
    drop
    f64.const 1
    i64.trunc_sat_f64_s
    drop
    f64.const 1
    i64.trunc_sat_f64_u
    drop
    i32.const 0
    i32.const 0
    i32.const 3
    memory.init $d
    data.drop $d
    i32.const 0
    i32.const 1
    i32.const 2
    memory.copy
    i32.const 0
    i32.const 1
    i32.const 2
    memory.fill
    i32.const 0
    i32.const 0
    i32.const 1
    table.init $t0 $p
    elem.drop $p
    i32.const 0
    i32.const 1
    i32.const 1
    table.copy $t0 $t0
    ref.null extern
    i32.const 1
    table.grow $t1
    drop
    table.size $t1
    drop
    i32.const 0
    ref.null extern
    i32.const 1
    table.fill $t1
    local.get $x
    return
  )
  (func $tail (param i32) (result i32)
    local.get 0
    return_call $control
  )
  (func $tail_indirect (param i32) (result i32)
    local.get 0
    i32.const 0
    return_call_indirect $t0 (type $sig)
  )
  (export "control" (func $control))
  (export "t1" (table $t1))
)
