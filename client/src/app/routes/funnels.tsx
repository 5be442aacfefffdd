// Placeholder until the page lands (issue 4).
export { default } from '@/app/routes/coming-soon'
