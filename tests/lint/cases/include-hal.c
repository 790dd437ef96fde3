/*
 * lint-expect: include
 * lint-path: demo/include_hal.c
 *
 * Services never see the HAL contract.
 */
#include <hal/hal.h>
