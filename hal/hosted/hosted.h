/*
 * Internal interfaces between the files of the hosted backend.
 */
#ifndef HAL_HOSTED_HOSTED_H
#define HAL_HOSTED_HOSTED_H

#include <hal/hal.h>

/*
 * Creates the physical memory (a memfd of size bytes) and maps it once as
 * the direct map. Fills bi->mem with the usable RAM (all of it minus what
 * hosted_phys_reserve took). Exits with a message on host failure.
 */
void hosted_phys_init(uint64_t size, struct hal_boot_info *bi);

/* Takes len bytes (page aligned) off the top of RAM for the HAL's own use
 * (the initrd, say); returns their physical base. Call before bi is used. */
hal_paddr_t hosted_phys_reserve(struct hal_boot_info *bi, uint64_t len);

/* The memfd behind physical memory (for stub processes to map). */
int hosted_phys_fd(void);

#endif
