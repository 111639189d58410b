/* Gate self-test input: a false lemma beside a provable function. With
   --split naming the function, the lemma must still be proved, and fail
   the gate. */

/*@ lemma false_bound: \forall integer x; 0 <= x ==> x < 1000; */

/*@ requires 0 <= x <= 1000;
    assigns \nothing;
    ensures \result == x + 1;
*/
int lemma_inc(int x) { return x + 1; }
