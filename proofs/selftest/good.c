/* Gate self-test input: every WP goal here is provable. */

/*@ requires 0 <= x <= 1000;
    assigns \nothing;
    ensures \result == x + 1;
*/
int good_inc(int x) { return x + 1; }
