/*
 * The one place that picks this build's page-table format, from the
 * backend's <hal/arch.h>. Everything else takes the format as an argument.
 */
#include "mm/pt.h"

#if defined(HAL_PT_X86_64) && !defined(HAL_PT_SV39)
#define ACTIVE_FORMAT pt_format_x86_64
#elif defined(HAL_PT_SV39) && !defined(HAL_PT_X86_64)
#define ACTIVE_FORMAT pt_format_sv39
#else
#error "hal/arch.h must define exactly one of HAL_PT_X86_64, HAL_PT_SV39"
#endif

const struct pt_format *pt_active(void)
{
	return &ACTIVE_FORMAT;
}
