/**
 * Port verdicts a host card draws at first, and how many more each "show the next assessed ports"
 * adds. A page of 50 devices where ten have hundreds of open ports (a middlebox answering for
 * them) stays a few thousand DOM nodes instead of 160,000 (review 13c new user #4); the worst come
 * first and the line under them counts the others per level, so a critical port is never out of
 * sight. Plain numbers (no React) so the end-to-end tests read the same ones.
 */
export const VERDICTS_FIRST = 10;
export const VERDICTS_MORE = 50;
